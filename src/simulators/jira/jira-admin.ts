import { z } from 'zod';
import { CUSTOM_FIELD_TYPES, customFieldOperations, customFieldSchema, DEFAULT_SCREEN, type CustomFieldType } from './jira-catalog.js';
import { describeIssues } from './zod-issues.js';
import type { FieldDef, FieldOption, JiraState, ScreenField, SimProject, SimUser } from './jira-model.js';

/**
 * Changes a Jira admin would make in the UI: projects, users, screens and
 * options. Seeding, the `/__sim` routes and tests all go through these, so a
 * scenario built in a test looks exactly like one built over HTTP.
 */

export class SimInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
    this.name = 'SimInputError';
  }
}

const digits = z.string().regex(/^\d+$/, 'must be a numeric id');

export const projectInputSchema = z.object({
  key: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'must be 2-10 upper-case letters, digits or underscores, starting with a letter'),
  name: z.string().trim().min(1).max(80),
  id: digits.optional(),
  projectTypeKey: z.enum(['software', 'business', 'service_desk']).default('software'),
  boardType: z.enum(['scrum', 'kanban', 'simple']).default('kanban'),
  issueTypes: z
    .array(z.object({ id: digits.optional(), name: z.string().trim().min(1).max(60), description: z.string().default('') }))
    .min(1)
    .default([{ id: '10001', name: 'Task', description: '' }]),
  components: z.array(z.union([z.string().trim().min(1), z.object({ id: digits.optional(), name: z.string().trim().min(1) })])).default([]),
});
export type ProjectInput = z.input<typeof projectInputSchema>;

export const userInputSchema = z.object({
  displayName: z.string().trim().min(1).max(255),
  emailAddress: z.email(),
  accountId: z.string().regex(/^[A-Za-z0-9:-]{1,128}$/).optional(),
  active: z.boolean().default(true),
  timeZone: z.string().default('UTC'),
});
export type UserInput = z.input<typeof userInputSchema>;

export const configInputSchema = z.strictObject({
  indexDelayMs: z.number().int().min(0).max(86_400_000).optional(),
  burstLimit: z.number().int().min(0).max(100_000).optional(),
});
export type ConfigInput = z.input<typeof configInputSchema>;

const screenRef = { project: z.string().min(1), issueTypeId: z.string().min(1), fieldId: z.string().min(1) };

export const requiredInputSchema = z.object({ ...screenRef, required: z.boolean() });
export type RequiredInput = z.input<typeof requiredInputSchema>;

export const screenFieldInputSchema = z.object(screenRef);
export type ScreenFieldInput = z.input<typeof screenFieldInputSchema>;

export const removeOptionInputSchema = z.object({ fieldId: z.string().min(1), value: z.string().min(1) });
export type RemoveOptionInput = z.input<typeof removeOptionInputSchema>;

const optionInput = z.union([z.string().trim().min(1), z.object({ value: z.string().trim().min(1), children: z.array(z.string().trim().min(1)).default([]) })]);

export const addFieldInputSchema = z.object({
  project: z.string().min(1),
  issueTypeId: z.string().min(1),
  fieldId: z.string().regex(/^[A-Za-z0-9_]+$/).optional(),
  name: z.string().trim().min(1).max(255).optional(),
  type: z.enum(Object.keys(CUSTOM_FIELD_TYPES) as [CustomFieldType, ...CustomFieldType[]]).optional(),
  options: z.array(optionInput).default([]),
  required: z.boolean().default(false),
});
export type AddFieldInput = z.input<typeof addFieldInputSchema>;

/** Parses with zod, turning its issues into one readable 400 message. */
export const parseInput = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new SimInputError(describeIssues(parsed.error));
};

export const findProject = (state: JiraState, idOrKey: string): SimProject | undefined =>
  state.projects.find((p) => p.id === idOrKey || p.key === idOrKey.toUpperCase());

const requireProject = (state: JiraState, idOrKey: string): SimProject => {
  const project = findProject(state, idOrKey);
  if (!project) throw new SimInputError(`No project '${idOrKey}'.`, 404);
  return project;
};

/** Accepts an issue type id or (case-insensitive) name; returns the id if the project uses it. */
export const projectIssueTypeId = (state: JiraState, project: SimProject, idOrName: string): string | undefined =>
  Object.keys(project.screens).find((id) => id === idOrName || state.issueTypes[id]?.name.toLowerCase() === idOrName.toLowerCase());

const requireScreen = (state: JiraState, projectRef: string, issueTypeRef: string): ScreenField[] => {
  const project = requireProject(state, projectRef);
  const id = projectIssueTypeId(state, project, issueTypeRef);
  if (id === undefined) throw new SimInputError(`Project ${project.key} has no issue type '${issueTypeRef}'.`, 404);
  return project.screens[id] as ScreenField[];
};

const nextId = (state: JiraState, sequence: keyof JiraState['sequences']): string => String(state.sequences[sequence]++);

const issueTypeFor = (state: JiraState, input: { id?: string | undefined; name: string; description: string }): string => {
  if (input.id !== undefined) {
    state.issueTypes[input.id] ??= { id: input.id, name: input.name, description: input.description };
    return input.id;
  }
  const existing = Object.values(state.issueTypes).find((t) => t.name.toLowerCase() === input.name.toLowerCase());
  if (existing) return existing.id;
  const id = nextId(state, 'issueTypeId');
  state.issueTypes[id] = { id, name: input.name, description: input.description };
  return id;
};

export const addProject = (state: JiraState, input: ProjectInput): SimProject => {
  const data = parseInput(projectInputSchema, input);
  if (state.projects.some((p) => p.key === data.key)) throw new SimInputError(`A project with key '${data.key}' already exists.`);
  if (data.id !== undefined && state.projects.some((p) => p.id === data.id)) throw new SimInputError(`A project with id '${data.id}' already exists.`);
  const id = data.id ?? String(Math.max(state.sequences.projectId, ...state.projects.map((p) => Number(p.id) + 1)));
  state.sequences.projectId = Math.max(state.sequences.projectId, Number(id) + 1);
  const components = data.components.map((c) => (typeof c === 'string' ? { id: nextId(state, 'componentId'), name: c } : { id: c.id ?? nextId(state, 'componentId'), name: c.name }));
  const screenIds = components.length > 0 ? [...DEFAULT_SCREEN, 'components'] : DEFAULT_SCREEN;
  const screens: Record<string, ScreenField[]> = {};
  for (const type of data.issueTypes) screens[issueTypeFor(state, type)] = screenIds.map((fieldId) => ({ fieldId, required: fieldId === 'summary' }));
  const project: SimProject = { id, key: data.key, name: data.name, projectTypeKey: data.projectTypeKey, components, screens, lastIssueNumber: 0 };
  state.projects.push(project);
  state.boards.push({ id: state.sequences.boardId++, name: `${data.key} board`, type: data.boardType, projectId: id });
  return project;
};

/** Stable, realistic-looking 24-character account ids. */
const accountIdFor = (n: number): string => `5f0c1a2b3c4d5e6f7${String(n).padStart(7, '0')}`;

const nextAccountId = (state: JiraState): string => accountIdFor(state.sequences.account++);

export const addUser = (state: JiraState, input: UserInput): SimUser => {
  const data = parseInput(userInputSchema, input);
  const email = data.emailAddress.toLowerCase();
  if (state.users.some((u) => u.emailAddress.toLowerCase() === email)) throw new SimInputError(`A user with email '${data.emailAddress}' already exists.`);
  const accountId = data.accountId ?? nextAccountId(state);
  if (state.users.some((u) => u.accountId === accountId)) throw new SimInputError(`A user with account id '${accountId}' already exists.`);
  const user: SimUser = { accountId, displayName: data.displayName, emailAddress: data.emailAddress, active: data.active, timeZone: data.timeZone };
  state.users.push(user);
  return user;
};

const screenEntry = (screen: ScreenField[], fieldId: string): ScreenField => {
  const entry = screen.find((f) => f.fieldId === fieldId);
  if (!entry) throw new SimInputError(`Field '${fieldId}' is not on that screen.`, 404);
  return entry;
};

export const setFieldRequired = (state: JiraState, input: RequiredInput): void => {
  const data = parseInput(requiredInputSchema, input);
  screenEntry(requireScreen(state, data.project, data.issueTypeId), data.fieldId).required = data.required;
};

export const removeFieldFromScreen = (state: JiraState, input: ScreenFieldInput): void => {
  const data = parseInput(screenFieldInputSchema, input);
  // Jira itself will not let an admin take summary off a create screen.
  if (data.fieldId === 'summary') throw new SimInputError('Summary cannot be removed from a screen.');
  const screen = requireScreen(state, data.project, data.issueTypeId);
  screen.splice(screen.indexOf(screenEntry(screen, data.fieldId)), 1);
};

export const addOptionInputSchema = z.object({ fieldId: z.string().min(1), value: z.string().min(1).max(255) });
export type AddOptionInput = z.input<typeof addOptionInputSchema>;

/** Adds a select option with a new id (an option removed and made again in Jira gets a new id too). */
export const addOption = (state: JiraState, input: AddOptionInput): FieldOption => {
  const data = parseInput(addOptionInputSchema, input);
  const field = state.fields[data.fieldId];
  if (!field?.options) throw new SimInputError(`Field '${data.fieldId}' does not exist or has no options.`, 404);
  if (field.options.some((o) => o.value === data.value)) throw new SimInputError(`Field '${data.fieldId}' already has the option '${data.value}'.`);
  const option: FieldOption = { id: String(state.sequences.optionId++), value: data.value };
  field.options.push(option);
  return option;
};

/** Removes a select option (or a cascading child option); issues that already hold it keep it. */
export const removeOption = (state: JiraState, input: RemoveOptionInput): FieldOption => {
  const data = parseInput(removeOptionInputSchema, input);
  const field = state.fields[data.fieldId];
  if (!field?.options) throw new SimInputError(`Field '${data.fieldId}' does not exist or has no options.`, 404);
  for (const list of [field.options, ...field.options.map((o) => o.children ?? [])]) {
    const index = list.findIndex((o) => o.value === data.value || o.id === data.value);
    if (index >= 0) return list.splice(index, 1)[0] as FieldOption;
  }
  throw new SimInputError(`Field '${data.fieldId}' has no option '${data.value}'.`, 404);
};

const newCustomField = (state: JiraState, data: z.output<typeof addFieldInputSchema>): FieldDef => {
  if (!data.name || !data.type) throw new SimInputError(`Field '${data.fieldId ?? ''}' does not exist; give a name and a type to create it.`);
  const requested = data.fieldId === undefined ? undefined : /^customfield_(\d+)$/.exec(data.fieldId)?.[1];
  if (data.fieldId !== undefined && requested === undefined) throw new SimInputError('A new field id must look like customfield_<number>.');
  const customId = requested === undefined ? state.sequences.customFieldId++ : Number(requested);
  const schema = customFieldSchema(data.type, customId);
  const field: FieldDef = { id: `customfield_${customId}`, name: data.name, schema, operations: customFieldOperations(schema) };
  if (schema.type === 'option' || schema.type === 'option-with-child' || schema.items === 'option') {
    if (data.options.length === 0) throw new SimInputError(`A ${data.type} field needs options.`);
    field.options = data.options.map((o) => {
      const option: FieldOption = { id: nextId(state, 'optionId'), value: typeof o === 'string' ? o : o.value };
      if (schema.type === 'option-with-child' && typeof o !== 'string') option.children = o.children.map((value) => ({ id: nextId(state, 'optionId'), value }));
      return option;
    });
  }
  state.fields[field.id] = field;
  return field;
};

/** Puts a field on a screen, creating the custom field first when it is new. */
export const addFieldToScreen = (state: JiraState, input: AddFieldInput): FieldDef => {
  const data = parseInput(addFieldInputSchema, input);
  const screen = requireScreen(state, data.project, data.issueTypeId);
  const field = (data.fieldId !== undefined ? state.fields[data.fieldId] : undefined) ?? newCustomField(state, data);
  const existing = screen.find((f) => f.fieldId === field.id);
  if (existing) existing.required = data.required;
  else screen.push({ fieldId: field.id, required: data.required });
  return field;
};
