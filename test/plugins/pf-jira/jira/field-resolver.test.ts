import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textToAdf } from '../../../../src/plugins/pf-jira/jira/adf.js';
import { explainJiraErrors, resolveFields, type ResolveInput } from '../../../../src/plugins/pf-jira/jira/field-resolver.js';
import type { FieldMeta } from '../../../../src/plugins/pf-jira/jira/jira-types.js';
import type { FieldMapping } from '../../../../src/plugins/pf-jira/rules/rule-types.js';

const CF = 'com.atlassian.jira.plugin.system.customfieldtypes';

/** A create screen with one field of each kind the resolver knows, none of them required. */
const SCREEN: FieldMeta[] = [
  { fieldId: 'summary', name: 'Summary', required: false, schema: { type: 'string', system: 'summary' } },
  { fieldId: 'description', name: 'Description', required: false, schema: { type: 'string', system: 'description' } },
  { fieldId: 'customfield_10040', name: 'Notes', required: false, schema: { type: 'string', custom: `${CF}:textarea` } },
  { fieldId: 'customfield_10041', name: 'Employee id', required: false, schema: { type: 'string', custom: `${CF}:textfield` } },
  { fieldId: 'customfield_10050', name: 'Salary', required: false, schema: { type: 'number', custom: `${CF}:float` } },
  { fieldId: 'duedate', name: 'Due date', required: false, schema: { type: 'date', system: 'duedate' } },
  { fieldId: 'customfield_10060', name: 'First day', required: false, schema: { type: 'datetime', custom: `${CF}:datetime` } },
  {
    fieldId: 'customfield_10030',
    name: 'Department',
    required: false,
    schema: { type: 'option', custom: `${CF}:select` },
    allowedValues: [
      { id: '10100', value: 'Engineering' },
      { id: '10101', value: 'IT' },
      { id: '10102', value: 'Sales, EMEA' },
      { id: '10103', value: 'Legacy', disabled: true },
    ],
  },
  {
    fieldId: 'customfield_10031',
    name: 'Skills',
    required: false,
    schema: { type: 'array', items: 'option', custom: `${CF}:multiselect` },
    allowedValues: [
      { id: '20001', value: 'Java' },
      { id: '20002', value: 'Go' },
      { id: '20003', value: 'Sales, EMEA' },
    ],
  },
  { fieldId: 'labels', name: 'Labels', required: false, schema: { type: 'array', items: 'string', system: 'labels' } },
  {
    fieldId: 'priority',
    name: 'Priority',
    required: false,
    schema: { type: 'priority', system: 'priority' },
    allowedValues: [
      { id: '1', name: 'Highest' },
      { id: '3', name: 'Medium' },
    ],
  },
  {
    fieldId: 'components',
    name: 'Components',
    required: false,
    schema: { type: 'array', items: 'component', system: 'components' },
    allowedValues: [
      { id: '10050', name: 'Laptops' },
      { id: '10051', name: 'Badges' },
    ],
  },
  { fieldId: 'fixVersions', name: 'Fix versions', required: false, schema: { type: 'array', items: 'version', system: 'fixVersions' }, allowedValues: [{ id: '300', name: '2025.1' }] },
  { fieldId: 'assignee', name: 'Assignee', required: false, schema: { type: 'user', system: 'assignee' } },
  { fieldId: 'customfield_10070', name: 'Buddies', required: false, schema: { type: 'array', items: 'user', custom: `${CF}:multiuserpicker` } },
  { fieldId: 'customfield_10080', name: 'Profile link', required: false, schema: { type: 'string', custom: `${CF}:url` } },
  {
    fieldId: 'customfield_10090',
    name: 'Location',
    required: false,
    schema: { type: 'option-with-child', custom: `${CF}:cascadingselect` },
    allowedValues: [
      { id: '1', value: 'Ukraine', children: [{ id: '11', value: 'Kyiv' }, { id: '12', value: 'Lviv' }] },
      { id: '2', value: 'R&D / Labs', children: [{ id: '21', value: 'North' }] },
    ],
  },
  { fieldId: 'parent', name: 'Parent', required: false, schema: { type: 'issuelink', system: 'parent' } },
  { fieldId: 'customfield_10095', name: 'Team', required: false, schema: { type: 'team', custom: 'com.atlassian.teams:rm-teams-custom-field-team' } },
];

const USERS: Record<string, string> = { 'ana@example.com': 'acc-ana', 'bo@example.com': 'acc-bo' };
const users = { byEmail: async (email: string) => USERS[email.toLowerCase()] };
const NOW = Date.UTC(2025, 0, 31, 14, 39, 5, 123);

const PAYLOAD = {
  employee: {
    id: 133710,
    first_name: 'Ana',
    last_name: 'Kovalenko',
    email: 'ana@example.com',
    department: { id: 7, name: 'engineering' },
    salary: '4200.50',
    start_date: '2025-02-03',
    skills: [{ name: 'Java' }, { name: 'go' }],
    remote: true,
    manager: { email: 'bo@example.com' },
  },
};

const resolve = (mappings: FieldMapping[], overrides: Partial<ResolveInput> = {}) =>
  resolveFields({ mappings, payload: PAYLOAD, fields: SCREEN, users, now: () => NOW, ...overrides });

const fixed = (fieldId: string, value: string): FieldMapping => ({ fieldId, sourceType: 'STATIC', value });
const path = (fieldId: string, value: string): FieldMapping => ({ fieldId, sourceType: 'PF_PAYLOAD', value });
const template = (fieldId: string, value: string): FieldMapping => ({ fieldId, sourceType: 'TEMPLATE', value });

/** The value one mapping resolves to, asserting it raised no problem. */
const valueOf = async (mapping: FieldMapping, overrides: Partial<ResolveInput> = {}): Promise<unknown> => {
  const out = await resolve([mapping], overrides);
  assert.deepEqual(out.problems, []);
  return out.fields[mapping.fieldId];
};

/** The one problem a mapping raises. */
const problemOf = async (mapping: FieldMapping, overrides: Partial<ResolveInput> = {}): Promise<string> => {
  const out = await resolve([mapping], overrides);
  assert.equal(out.problems.length, 1, JSON.stringify(out));
  assert.equal(mapping.fieldId in out.fields, false);
  return out.problems[0]?.message ?? '';
};

test('reads a fixed value, a JSONPath and a template', async () => {
  const out = await resolve([fixed('customfield_10041', 'E-1'), path('summary', '$.employee.last_name'), template('customfield_10040', 'Welcome {{ employee.first_name }}!')]);
  assert.deepEqual(out.problems, []);
  assert.equal(out.fields.customfield_10041, 'E-1');
  assert.equal(out.fields.summary, 'Kovalenko');
  assert.deepEqual(out.fields.customfield_10040, textToAdf('Welcome Ana!'));
});

test('turns numbers, booleans and named objects into text for a text field', async () => {
  assert.equal(await valueOf(path('summary', '$.employee.id')), '133710');
  assert.equal(await valueOf(path('summary', '$.employee.remote')), 'true');
  assert.equal(await valueOf(path('summary', '$.employee.department')), 'engineering');
});

test('refuses a group of fields for a text field and says to pick one inside it', async () => {
  assert.match(await problemOf(path('summary', '$.employee.manager')), /^Summary takes text, but the mapped value is a group of fields; map one value inside it/);
});

test('puts a multi-line value on one line for a summary or a single-line text field', async () => {
  assert.equal(await valueOf(template('summary', 'New hire:\n  {{ employee.first_name }}\r\n')), 'New hire: Ana');
  assert.equal(await valueOf(fixed('customfield_10041', 'a\nb')), 'a b');
});

test('shortens a summary longer than Jira allows, without splitting a character', async () => {
  const summary = (await valueOf(fixed('summary', `${'x'.repeat(253)}🙂 and more`))) as string;
  assert.equal(summary, `${'x'.repeat(253)}…`);
  assert.equal(await valueOf(fixed('summary', 'y'.repeat(255))), 'y'.repeat(255));
});

test('turns a numeric string into a number and explains a value that is not one', async () => {
  assert.equal(await valueOf(path('customfield_10050', '$.employee.salary')), 4200.5);
  assert.equal(await valueOf(fixed('customfield_10050', ' -3 ')), -3);
  assert.equal(await problemOf(fixed('customfield_10050', 'lots')), 'Salary takes a number, and “lots” is not one.');
});

test('sends dates as YYYY-MM-DD, cutting a datetime to its date and reading today', async () => {
  assert.equal(await valueOf(path('duedate', '$.employee.start_date')), '2025-02-03');
  assert.equal(await valueOf(fixed('duedate', '2025-02-03T23:30:00-05:00')), '2025-02-03');
  assert.equal(await valueOf(fixed('duedate', 'today')), '2025-01-31');
});

test('explains a date Jira cannot take', async () => {
  assert.equal(await problemOf(fixed('duedate', '31/01/2025')), 'Due date takes a date like 2025-01-31, and “31/01/2025” is not one.');
  assert.match(await problemOf(fixed('duedate', '2025-02-30')), /“2025-02-30” is not one/);
  assert.match(await problemOf(fixed('duedate', '2025-02-03 soon')), /“2025-02-03 soon” is not one/);
});

test('sends datetimes in UTC in Jira\'s format', async () => {
  assert.equal(await valueOf(fixed('customfield_10060', '2025-01-31T14:39:00Z')), '2025-01-31T14:39:00.000+0000');
  assert.equal(await valueOf(fixed('customfield_10060', '2025-01-31T16:39:00.000+0200')), '2025-01-31T14:39:00.000+0000');
  assert.equal(await valueOf(fixed('customfield_10060', '2025-01-31 09:00')), '2025-01-31T09:00:00.000+0000');
  assert.equal(await valueOf(path('customfield_10060', '$.employee.start_date')), '2025-02-03T00:00:00.000+0000');
  assert.equal(await valueOf(fixed('customfield_10060', 'now')), '2025-01-31T14:39:05.123+0000');
  assert.equal(await problemOf(fixed('customfield_10060', 'Monday 9am')), 'First day takes a date and time like 2025-01-31T14:39:00Z, and “Monday 9am” is not one.');
});

test('sends an option by id when the value is an option id, otherwise by Jira\'s spelling of its name', async () => {
  assert.deepEqual(await valueOf(fixed('customfield_10030', '10101')), { id: '10101' });
  assert.deepEqual(await valueOf(path('customfield_10030', '$.employee.department')), { value: 'Engineering' });
  assert.deepEqual(await valueOf(fixed('customfield_10030', ' it ')), { value: 'IT' });
});

test('names the allowed values when an option is not one of them', async () => {
  assert.equal(await problemOf(fixed('customfield_10030', 'Purple')), '“Purple” is not one of the allowed values for Department: Engineering, IT, Sales, EMEA.');
  assert.match(await problemOf(fixed('customfield_10030', 'Legacy')), /“Legacy” is not one of the allowed values/);
});

test('trails off a long list of allowed values', async () => {
  const many: FieldMeta = {
    fieldId: 'customfield_1',
    name: 'Office',
    required: false,
    schema: { type: 'option' },
    allowedValues: Array.from({ length: 12 }, (_v, i) => ({ id: String(i), value: `Office ${i}` })),
  };
  const message = await problemOf(fixed('customfield_1', 'Mars'), { fields: [many] });
  assert.equal(message, '“Mars” is not one of the allowed values for Office: Office 0, Office 1, Office 2, Office 3, Office 4, Office 5, Office 6, Office 7, Office 8, Office 9, …');
});

test('sends an option as given when Jira lists no allowed values', async () => {
  const open: FieldMeta = { fieldId: 'customfield_2', name: 'Tier', required: false, schema: { type: 'option' } };
  assert.deepEqual(await valueOf(fixed('customfield_2', 'Gold'), { fields: [open] }), { value: 'Gold' });
});

test('reads a multi-select from a list or from comma-separated text', async () => {
  assert.deepEqual(await valueOf(path('customfield_10031', '$.employee.skills[*].name')), [{ value: 'Java' }, { value: 'Go' }]);
  assert.deepEqual(await valueOf(path('customfield_10031', '$.employee.skills')), [{ value: 'Java' }, { value: 'Go' }]);
  assert.deepEqual(await valueOf(fixed('customfield_10031', 'go, 20001, Go')), [{ value: 'Go' }, { id: '20001' }]);
  assert.deepEqual(await valueOf(fixed('customfield_10031', 'sales, emea')), [{ value: 'Sales, EMEA' }]);
});

test('names every value of a multi-select that is not allowed', async () => {
  assert.match(await problemOf(fixed('customfield_10031', 'Java, Rust, Zig')), /^“Rust”, “Zig” are not among the allowed values for Skills: Java, Go, Sales, EMEA\.$/);
});

test('splits labels at commas, joins words with dashes and drops repeats', async () => {
  assert.deepEqual(await valueOf(fixed('labels', 'new hire, IT  onboarding,new hire,,')), ['new-hire', 'IT-onboarding']);
  assert.deepEqual(await valueOf(path('labels', '$.employee.skills[*].name')), ['Java', 'go']);
});

test('sends a priority by id or by its name', async () => {
  assert.deepEqual(await valueOf(fixed('priority', 'highest')), { name: 'Highest' });
  assert.deepEqual(await valueOf(fixed('priority', '3')), { id: '3' });
  assert.equal(await problemOf(fixed('priority', 'Urgent')), '“Urgent” is not one of the allowed values for Priority: Highest, Medium.');
});

test('sends components and versions from their allowed values', async () => {
  assert.deepEqual(await valueOf(fixed('components', 'laptops, 10051')), [{ name: 'Laptops' }, { id: '10051' }]);
  assert.deepEqual(await valueOf(fixed('fixVersions', '2025.1')), [{ name: '2025.1' }]);
  assert.equal(await problemOf(fixed('components', 'Phones')), '“Phones” is not one of the allowed values for Components: Laptops, Badges.');
});

test('sends a user by account id, or looks up an email address', async () => {
  assert.deepEqual(await valueOf(fixed('assignee', '5b10ac8d82e05b22cc7d4ef5')), { accountId: '5b10ac8d82e05b22cc7d4ef5' });
  assert.deepEqual(await valueOf(path('assignee', '$.employee.email')), { accountId: 'acc-ana' });
  assert.deepEqual(await valueOf(path('assignee', '$.employee.manager')), { accountId: 'acc-bo' });
});

test('explains a user that cannot be found or named', async () => {
  assert.equal(
    await problemOf(fixed('assignee', 'gone@example.com')),
    'No Jira user has the email address gone@example.com, so Assignee cannot be set to them. The person may not have a Jira account yet.',
  );
  assert.equal(await problemOf(fixed('assignee', 'Ana Kovalenko')), '“Ana Kovalenko” is neither a Jira account id nor an email address, so Assignee cannot be set from it.');
  assert.match(await problemOf(fixed('assignee', 'ana@example.com'), { users: undefined }), /No Jira user has the email address ana@example.com/);
});

test('sends a list of users without repeats, and names an email no user has', async () => {
  assert.deepEqual(await valueOf(fixed('customfield_10070', 'ana@example.com, bo@example.com, acc-ana')), [{ accountId: 'acc-ana' }, { accountId: 'acc-bo' }]);
  assert.match(await problemOf(fixed('customfield_10070', 'ana@example.com, x@example.com')), /^No Jira user has the email address x@example.com, so Buddies/);
});

test('sends rich text as an ADF document and passes a ready document through', async () => {
  assert.deepEqual(await valueOf(template('description', 'Hello {{ employee.first_name }}\n\n- Laptop')), textToAdf('Hello Ana\n\n- Laptop'));
  const doc = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'strong' }] }] }] };
  assert.deepEqual(await valueOf(path('customfield_10040', '$.doc'), { payload: { doc } }), doc);
});

test('accepts a web address and explains text that is not one', async () => {
  assert.equal(await valueOf(fixed('customfield_10080', 'https://app.peopleforce.io/employees/1')), 'https://app.peopleforce.io/employees/1');
  assert.equal(await problemOf(fixed('customfield_10080', 'peopleforce profile')), 'Profile link takes a web address starting with https://, and “peopleforce profile” is not one.');
});

test('reads a cascading choice as "Parent / Child" text or as an object', async () => {
  assert.deepEqual(await valueOf(fixed('customfield_10090', 'ukraine / kyiv')), { value: 'Ukraine', child: { value: 'Kyiv' } });
  assert.deepEqual(await valueOf(fixed('customfield_10090', 'R&D / Labs / North')), { value: 'R&D / Labs', child: { value: 'North' } });
  assert.deepEqual(await valueOf(fixed('customfield_10090', 'Ukraine')), { value: 'Ukraine' });
  assert.deepEqual(await valueOf(path('customfield_10090', '$.loc'), { payload: { loc: { value: 'Ukraine', child: { value: 'Lviv' } } } }), { value: 'Ukraine', child: { value: 'Lviv' } });
  assert.deepEqual(await valueOf(path('customfield_10090', '$.loc'), { payload: { loc: { parent: '1', child: '12' } } }), { id: '1', child: { id: '12' } });
});

test('prefers the longest parent name when one parent\'s name starts another\'s', async () => {
  const team: FieldMeta = {
    fieldId: 'customfield_4',
    name: 'Team',
    required: false,
    schema: { type: 'option-with-child' },
    allowedValues: [
      { id: '3', value: 'R&D', children: [{ id: '31', value: 'Labs / North' }] },
      { id: '2', value: 'R&D / Labs', children: [{ id: '21', value: 'North' }] },
    ],
  };
  assert.deepEqual(await valueOf(fixed('customfield_4', 'R&D / Labs / North'), { fields: [team] }), { value: 'R&D / Labs', child: { value: 'North' } });
  assert.deepEqual(await valueOf(fixed('customfield_4', 'R&D'), { fields: [team] }), { value: 'R&D' });
});

test('names the allowed choices when a cascading choice does not exist', async () => {
  assert.equal(await problemOf(fixed('customfield_10090', 'Poland / Warsaw')), '“Poland” is not one of the allowed values for Location: Ukraine, R&D / Labs.');
  assert.equal(await problemOf(fixed('customfield_10090', 'Ukraine / Odesa')), '“Odesa” is not one of the allowed values for Location under “Ukraine”: Kyiv, Lviv.');
});

test('sends a parent by issue key and a field of an unknown type as given', async () => {
  assert.deepEqual(await valueOf(fixed('parent', 'ops-12')), { key: 'OPS-12' });
  assert.equal(await valueOf(fixed('customfield_10095', 'team-42')), 'team-42');
});

test('says when a mapped field is not on the create screen', async () => {
  const out = await resolve([fixed('customfield_99999', 'x')]);
  assert.deepEqual(out.problems, [
    {
      fieldId: 'customfield_99999',
      fieldName: 'customfield_99999',
      message: 'customfield_99999 is not on the create screen of this project and issue type. Remove the mapping, or ask a Jira admin to add the field to the screen.',
    },
  ]);
});

test('finds a field by its key as well as its id', async () => {
  const keyed: FieldMeta = { fieldId: 'customfield_3', key: 'cf_cost_center', name: 'Cost center', required: false, schema: { type: 'string' } };
  const out = await resolve([fixed('cf_cost_center', 'CC-1')], { fields: [keyed] });
  assert.deepEqual(out, { fields: { customfield_3: 'CC-1' }, problems: [] });
});

const REQUIRED: FieldMeta[] = [
  { fieldId: 'project', name: 'Project', required: true, schema: { type: 'project', system: 'project' } },
  { fieldId: 'issuetype', name: 'Issue Type', required: true, schema: { type: 'issuetype', system: 'issuetype' } },
  { fieldId: 'reporter', name: 'Reporter', required: true, schema: { type: 'user', system: 'reporter' } },
  { fieldId: 'summary', name: 'Summary', required: true, schema: { type: 'string', system: 'summary' } },
  { fieldId: 'customfield_10030', name: 'Department', required: true, schema: { type: 'option' }, allowedValues: [{ id: '1', value: 'IT' }] },
  { fieldId: 'customfield_10031', name: 'Site', required: true, hasDefaultValue: true, schema: { type: 'option' } },
  { fieldId: 'labels', name: 'Labels', required: false, schema: { type: 'array', items: 'string', system: 'labels' } },
];

test('names each required field no mapping provides, leaving out those the engine or Jira fill', async () => {
  const out = await resolve([fixed('labels', 'x')], { fields: REQUIRED });
  assert.deepEqual(
    out.problems.map((p) => p.message),
    ['Jira requires Summary, and no mapping provides it.', 'Jira requires Department, and no mapping provides it.'],
  );
});

test('names the JSONPath that found nothing for a required field', async () => {
  const out = await resolve([path('summary', '$.employee.title'), fixed('customfield_10030', 'IT')], { fields: REQUIRED });
  assert.deepEqual(out.problems, [{ fieldId: 'summary', fieldName: 'Summary', message: 'Summary is required, but $.employee.title found nothing in this event.' }]);
});

test('names the template placeholders that found nothing for a required field', async () => {
  const out = await resolve([template('summary', 'Onboard {{ employee.first_name }} {{ employee.nickname }} {{ team }}'), fixed('customfield_10030', 'IT')], { fields: REQUIRED });
  assert.deepEqual(out.problems.map((p) => p.message), ['Summary is required, but {{ employee.nickname }}, {{ team }} in its template found nothing in this event.']);
});

test('says when a required field\'s fixed value is empty or holds only separators', async () => {
  const out = await resolve([fixed('summary', '  '), fixed('customfield_10030', 'IT')], { fields: REQUIRED });
  assert.deepEqual(out.problems.map((p) => p.message), ['Summary is required, but its fixed value is empty.']);
  const labels = await resolve([fixed('summary', 's'), fixed('customfield_10030', 'IT'), fixed('labels', ' , ')], { fields: REQUIRED.map((f) => (f.fieldId === 'labels' ? { ...f, required: true } : f)) });
  assert.deepEqual(labels.problems.map((p) => p.message), ['Labels is required, but its mapping gives no value.']);
});

test('leaves out an optional field whose source is empty, and keeps an optional template\'s partial text', async () => {
  const out = await resolve([path('assignee', '$.employee.nothing'), template('summary', 'Hi {{ employee.first_name }}{{ employee.nickname }}'), template('customfield_10041', '{{ nope }}')]);
  assert.deepEqual(out, { fields: { summary: 'Hi Ana' }, problems: [] });
});

test('reports a template that cannot be read instead of failing', async () => {
  assert.match(await problemOf(template('summary', 'Hi {{ employee.first_name')), /^The template for Summary cannot be used: The template cannot be read/);
});

test('lets a problem in one mapping leave the others resolved', async () => {
  const out = await resolve([fixed('customfield_10030', 'Purple'), fixed('summary', 'ok')]);
  assert.equal(out.fields.summary, 'ok');
  assert.deepEqual(out.problems.map((p) => p.fieldName), ['Department']);
});

test('explains Jira\'s field errors by display name with a hint on what to change', () => {
  const problems = explainJiraErrors(
    {
      customfield_10030: "Option id '999' is not valid.",
      customfield_10041: "Field 'customfield_10041' cannot be set. It is not on the appropriate screen, or unknown.",
      summary: 'You must specify a summary of the issue.',
      assignee: "Specify a valid 'id' or 'name' for Assignee",
      customfield_10031: "Option value 'Rust' is not valid",
      customfield_77777: 'Something odd.',
    },
    SCREEN,
  );
  assert.deepEqual(problems, [
    { fieldId: 'customfield_10030', fieldName: 'Department', message: "Department: Jira said “Option id '999' is not valid.” The option may have been removed in Jira; edit the mapping." },
    {
      fieldId: 'customfield_10041',
      fieldName: 'Employee id',
      message:
        "Employee id: Jira said “Field 'customfield_10041' cannot be set. It is not on the appropriate screen, or unknown.” The field is no longer on the create screen; ask a Jira admin to add it back, or remove the mapping.",
    },
    { fieldId: 'summary', fieldName: 'Summary', message: 'Summary: Jira said “You must specify a summary of the issue.” Jira now requires this field; add a mapping for it.' },
    { fieldId: 'assignee', fieldName: 'Assignee', message: "Assignee: Jira said “Specify a valid 'id' or 'name' for Assignee” The person may have left, or may not be allowed in this field; check the mapping." },
    { fieldId: 'customfield_10031', fieldName: 'Skills', message: "Skills: Jira said “Option value 'Rust' is not valid” The option may have been removed in Jira; edit the mapping." },
    { fieldId: 'customfield_77777', fieldName: 'customfield_77777', message: 'customfield_77777: Jira said “Something odd.”' },
  ]);
});

test('hints at rich text, length and date problems Jira reports', () => {
  const [adf, long, date, newline] = explainJiraErrors(
    {
      description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      customfield_10041: 'The entered text is too long. It exceeds the allowed limit of 255 characters.',
      duedate: 'Error parsing date string: 31/01',
      summary: 'The summary is invalid because it contains newline characters.',
    },
    SCREEN,
  );
  assert.match(adf?.message ?? '', /type may have changed in Jira; refresh the create-screen data/);
  assert.match(long?.message ?? '', /too long for this field/);
  assert.match(date?.message ?? '', /Check the date the mapping gives\.$/);
  assert.equal(newline?.message, 'Summary: Jira said “The summary is invalid because it contains newline characters.”');
});
