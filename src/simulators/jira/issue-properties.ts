/** Entity-property limits from contract §4: keys up to 255 characters, values up to 32 KB of JSON. */
const MAX_KEY_LENGTH = 255;
const MAX_VALUE_BYTES = 32_768;

/** Undefined when the property may be stored, else the message Jira gives. */
export const propertyError = (key: unknown, value: unknown): string | undefined => {
  if (typeof key !== 'string' || key.length === 0) return 'The property key cannot be empty.';
  if (key.length > MAX_KEY_LENGTH) return `The property key cannot be longer than ${MAX_KEY_LENGTH} characters.`;
  if (value === undefined) return `The property '${key}' has no value.`;
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_VALUE_BYTES) return `The property '${key}' is too large: values are limited to ${MAX_VALUE_BYTES} bytes.`;
  return undefined;
};
