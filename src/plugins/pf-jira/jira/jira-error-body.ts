/**
 * Jira's error body, `{"errorMessages": [...], "errors": {"<fieldId>": "..."}}`
 * (contracts/jira-cloud.md §7), turned into one readable message plus the
 * per-field complaints the resolver can explain to an admin.
 */
export const describeJiraError = (status: number, body: unknown): { message?: string; fieldErrors?: Record<string, string> } => {
  if (body === null || typeof body !== 'object') return {};
  const { errorMessages, errors } = body as { errorMessages?: unknown; errors?: unknown };
  const messages = Array.isArray(errorMessages) ? errorMessages.filter((m): m is string => typeof m === 'string' && m.trim() !== '') : [];
  const fieldErrors: Record<string, string> = {};
  if (errors !== null && typeof errors === 'object' && !Array.isArray(errors)) {
    for (const [field, message] of Object.entries(errors)) if (typeof message === 'string') fieldErrors[field] = message;
  }
  const parts = [...messages, ...Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`)];
  if (parts.length === 0) return {};
  return {
    message: `Jira refused the request (HTTP ${status}): ${parts.join('; ')}`,
    ...(Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}),
  };
};
