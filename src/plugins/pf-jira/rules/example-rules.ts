import type { RuleInput } from './rule-types.js';

/**
 * A starting set of rules for a typical company (and what the demo loads):
 * contractors are not onboarded, new hires get an IT onboarding issue that
 * later changes keep up to date, terminations get an HR offboarding issue at
 * high priority, and other changes are not ticketed. Project keys and field
 * ids match the demo Jira; a real site needs its own.
 */
export const EXAMPLE_RULES: RuleInput[] = [
  {
    name: 'Contractors are not onboarded',
    priority: 10,
    enabled: true,
    action: 'DROP',
    eventTypes: ['employee_create', 'employee_start', 'employee_update'],
    match: 'all',
    conditions: [{ path: '$.employment_type.name', operator: 'equals', value: 'Contractor' }],
    projectKey: null,
    issueTypeId: null,
    issueTypeName: null,
    boardId: null,
    boardName: null,
    mappings: [],
  },
  {
    name: 'New hires → IT onboarding',
    priority: 20,
    enabled: true,
    action: 'SYNC',
    eventTypes: ['employee_create', 'employee_start', 'employee_update'],
    match: 'any',
    // People still before their start or on probation count as new hires, so their changes update the same issue.
    conditions: [{ path: '$.status', operator: 'in', value: ['pending_hire', 'probation'] }],
    projectKey: 'IT',
    issueTypeId: null,
    issueTypeName: 'Onboarding',
    boardId: null,
    boardName: null,
    mappings: [
      { fieldId: 'summary', sourceType: 'TEMPLATE', value: 'Onboard {{ full_name }} ({{ position.name }})' },
      {
        fieldId: 'description',
        sourceType: 'TEMPLATE',
        value: '{{ full_name }} joins {{ department.name }} as {{ position.name }} on {{ hired_on }}.\n\nManager: {{ reporting_to.full_name }}\nLocation: {{ location.name }}\nWork email: {{ email }}',
      },
      { fieldId: 'customfield_10030', sourceType: 'PF_PAYLOAD', value: '$.department.name' },
      { fieldId: 'customfield_10031', sourceType: 'PF_PAYLOAD', value: '$.hired_on' },
      { fieldId: 'customfield_10032', sourceType: 'PF_PAYLOAD', value: '$.employee_number' },
      { fieldId: 'customfield_10033', sourceType: 'STATIC', value: 'Laptop, Monitor' },
      { fieldId: 'duedate', sourceType: 'PF_PAYLOAD', value: '$.hired_on' },
      { fieldId: 'labels', sourceType: 'STATIC', value: 'onboarding' },
    ],
  },
  {
    name: 'Terminations → HR offboarding',
    priority: 30,
    enabled: true,
    action: 'SYNC',
    eventTypes: ['employee_terminate'],
    match: 'all',
    conditions: [],
    projectKey: 'HR',
    issueTypeId: null,
    issueTypeName: 'Offboarding',
    boardId: null,
    boardName: null,
    mappings: [
      { fieldId: 'summary', sourceType: 'TEMPLATE', value: 'Offboard {{ full_name }}' },
      { fieldId: 'description', sourceType: 'TEMPLATE', value: '{{ full_name }} ({{ position.name }}, {{ department.name }}) leaves on {{ termination_effective_date }}.\n\nReason: {{ termination_comment }}' },
      { fieldId: 'priority', sourceType: 'STATIC', value: 'High' },
      { fieldId: 'customfield_10035', sourceType: 'PF_PAYLOAD', value: '$.termination_effective_date' },
      { fieldId: 'customfield_10032', sourceType: 'PF_PAYLOAD', value: '$.employee_number' },
      { fieldId: 'customfield_10030', sourceType: 'PF_PAYLOAD', value: '$.department.name' },
      { fieldId: 'labels', sourceType: 'STATIC', value: 'offboarding' },
    ],
  },
  {
    name: 'Other employee changes are not ticketed',
    priority: 1000,
    enabled: true,
    action: 'DROP',
    eventTypes: ['employee_update', 'employee_start'],
    match: 'all',
    conditions: [],
    projectKey: null,
    issueTypeId: null,
    issueTypeName: null,
    boardId: null,
    boardName: null,
    mappings: [],
  },
];
