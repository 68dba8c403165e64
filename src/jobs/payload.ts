import { JobSpecError } from './errors.js';

/**
 * Refuses what JSON would silently change or drop (functions, symbols,
 * bigints, NaN, undefined in arrays, cycles), so a task sees exactly what was queued.
 */
export const serializePayload = (payload: unknown): string => {
  const seen = new Set<object>();
  const check = (value: unknown, path: string): void => {
    switch (typeof value) {
      case 'function':
      case 'symbol':
      case 'bigint':
        throw new JobSpecError(`payload is not JSON-serializable: ${path} is a ${typeof value}`);
      case 'number':
        if (!Number.isFinite(value)) throw new JobSpecError(`payload is not JSON-serializable: ${path} is ${value}`);
        return;
      case 'object': {
        if (value === null) return;
        if (seen.has(value)) throw new JobSpecError(`payload is not JSON-serializable: ${path} refers back to itself`);
        if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return;
        seen.add(value);
        if (Array.isArray(value)) value.forEach((v, i) => (v === undefined ? thrower(`${path}[${i}] is undefined`) : check(v, `${path}[${i}]`)));
        else for (const [k, v] of Object.entries(value)) if (v !== undefined) check(v, `${path}.${k}`);
        seen.delete(value);
        return;
      }
      default:
        return;
    }
  };
  const thrower = (what: string): never => {
    throw new JobSpecError(`payload is not JSON-serializable: ${what}`);
  };
  if (payload === undefined) return '{}';
  check(payload, 'payload');
  return JSON.stringify(payload);
};
