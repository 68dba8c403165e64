import { EMPTY, isRecord, itemsOf, notText, textOf, type Coerced } from './mapped-value.js';
import type { FieldMeta } from './jira-types.js';

export interface UserLookup {
  /** The accountId of the Jira user with this email, or undefined when there is none. */
  byEmail(email: string): Promise<string | undefined>;
}

/**
 * Looks people up by email through Jira's user search, remembering each answer
 * for the lookup's lifetime (one sync, one preview): a template may name the
 * same person several times.
 */
export const emailLookup = (findUsers: (query: string) => Promise<{ accountId: string; emailAddress?: string | undefined }[]>): UserLookup => {
  const known = new Map<string, string | undefined>();
  return {
    async byEmail(email) {
      const key = email.toLowerCase();
      if (!known.has(key)) known.set(key, (await findUsers(email)).find((u) => u.emailAddress?.toLowerCase() === key)?.accountId);
      return known.get(key);
    },
  };
};

type Account = { accountId: string } | { empty: true } | { problem: string };

/** Jira Cloud identifies people only by accountId; an email address (or a person object with one) is looked up. */
const findAccount = async (field: FieldMeta, raw: unknown, users: UserLookup | undefined): Promise<Account> => {
  if (isRecord(raw) && typeof raw.accountId === 'string') return { accountId: raw.accountId };
  const email = isRecord(raw) ? (raw.email ?? raw.emailAddress) : undefined;
  const text = (typeof email === 'string' ? email : textOf(raw))?.trim();
  if (text === undefined) return notText(field);
  if (text === '') return { empty: true };
  if (text.includes('@')) {
    const accountId = users ? await users.byEmail(text) : undefined;
    return accountId
      ? { accountId }
      : { problem: `No Jira user has the email address ${text}, so ${field.name} cannot be set to them. The person may not have a Jira account yet.` };
  }
  if (/\s/.test(text)) return { problem: `“${text}” is neither a Jira account id nor an email address, so ${field.name} cannot be set from it.` };
  return { accountId: text };
};

export const coerceUser = async (field: FieldMeta, raw: unknown, users: UserLookup | undefined): Promise<Coerced> => {
  const found = await findAccount(field, raw, users);
  return 'accountId' in found ? { value: { accountId: found.accountId } } : found;
};

export const coerceUsers = async (field: FieldMeta, raw: unknown, users: UserLookup | undefined): Promise<Coerced> => {
  const ids: string[] = [];
  const problems: string[] = [];
  for (const item of itemsOf(raw)) {
    const found = await findAccount(field, item, users);
    if ('problem' in found) problems.push(found.problem);
    else if ('accountId' in found && !ids.includes(found.accountId)) ids.push(found.accountId);
  }
  if (problems.length > 0) return { problem: problems.join(' ') };
  return ids.length > 0 ? { value: ids.map((accountId) => ({ accountId })) } : EMPTY;
};
