import { z } from 'zod';

interface BaseSetting {
  key: string;
  label: string;
  /** One or two sentences shown as the field's tooltip. */
  help: string;
}

export type SettingDefinition = BaseSetting &
  (
    | { type: 'string'; default: string; required?: boolean; pattern?: string; patternMessage?: string; maxLength?: number }
    | { type: 'integer'; default: number; min: number; max: number; unit?: string }
    | { type: 'boolean'; default: boolean }
    | { type: 'select'; default: string; options: { value: string; label: string }[] }
    | { type: 'list'; default: string[]; itemPattern?: string; itemMessage?: string; maxItems?: number }
    | { type: 'url'; default: string; required?: boolean }
    | { type: 'secret' }
  );

export interface PollingDeclaration {
  defaultEnabled: boolean;
  defaultIntervalSeconds: number;
  minIntervalSeconds: number;
  maxIntervalSeconds: number;
}

/** What a domain (the platform, or a plugin) declares about its configuration. */
export interface DomainDeclaration {
  domain: string;
  title: string;
  description: string;
  helpTopic?: string;
  /** Present when the domain polls: shows the master switch and interval. */
  polling?: PollingDeclaration;
  /** True when the domain routes into Jira projects and has a fallback list. */
  fallbackProjects?: boolean;
  settings: SettingDefinition[];
}

export const JIRA_PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

/** Form posts send strings; API bodies send typed JSON. Both go through the same schema. */
const fromForm = (value: unknown): unknown => (Array.isArray(value) ? value[value.length - 1] : value);

const splitList = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? v.split(/[\n,]/) : [v])).map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
  if (typeof value === 'string') return value.split(/[\n,]/).map((v) => v.trim()).filter((v) => v !== '');
  return value;
};

const parseBoolean = (value: unknown): unknown => {
  const v = fromForm(value);
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'string') {
    const lower = v.toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(lower)) return true;
    if (['0', 'false', 'off', 'no'].includes(lower)) return false;
  }
  return v;
};

const parseInteger = (value: unknown): unknown => {
  const v = fromForm(value);
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v.trim());
  return v;
};

export const settingSchema = (def: SettingDefinition): z.ZodType => {
  switch (def.type) {
    case 'string': {
      let s = z.string({ error: 'Enter text.' }).trim().max(def.maxLength ?? 500, `Use at most ${def.maxLength ?? 500} characters.`);
      if (def.required) s = s.min(1, 'This field is required.');
      if (def.pattern) {
        const re = new RegExp(def.pattern);
        return z.preprocess(fromForm, s.refine((v) => v === '' || re.test(v), def.patternMessage ?? `Must match ${def.pattern}.`));
      }
      return z.preprocess(fromForm, s);
    }
    case 'integer':
      return z.preprocess(
        parseInteger,
        z
          .number({ error: `Enter a whole number from ${def.min} to ${def.max}.` })
          .int(`Enter a whole number from ${def.min} to ${def.max}.`)
          .min(def.min, `Must be at least ${def.min}${def.unit ? ` ${def.unit}` : ''}.`)
          .max(def.max, `Must be at most ${def.max}${def.unit ? ` ${def.unit}` : ''}.`),
      );
    case 'boolean':
      return z.preprocess(parseBoolean, z.boolean({ error: 'Choose on or off.' }));
    case 'select': {
      const allowed = def.options.map((o) => o.value);
      return z.preprocess(fromForm, z.string().refine((v) => allowed.includes(v), `Choose one of: ${def.options.map((o) => o.label).join(', ')}.`));
    }
    case 'list': {
      const item = def.itemPattern
        ? z.string().refine((v) => new RegExp(def.itemPattern as string).test(v), { error: (iss) => `"${String(iss.input)}": ${def.itemMessage ?? `each entry must match ${def.itemPattern}`}` })
        : z.string().max(200, 'Each entry must be at most 200 characters.');
      return z.preprocess(splitList, z.array(item, { error: 'Enter a list, one entry per line.' }).max(def.maxItems ?? 100, `At most ${def.maxItems ?? 100} entries.`));
    }
    case 'url':
      return z.preprocess(
        fromForm,
        z
          .string()
          .trim()
          .refine((v) => (v === '' ? !def.required : /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v)), def.required ? 'Enter an http(s) URL.' : 'Enter an http(s) URL, or leave it empty.'),
      );
    case 'secret':
      return z.preprocess(fromForm, z.string().max(4096, 'Use at most 4096 characters.'));
  }
};

export const defaultSettings = (decl: DomainDeclaration): Record<string, unknown> =>
  Object.fromEntries(decl.settings.filter((s) => s.type !== 'secret').map((s) => [s.key, (s as { default: unknown }).default]));

export const firstMessage = (error: z.ZodError): string => error.issues[0]?.message ?? 'Invalid value.';
