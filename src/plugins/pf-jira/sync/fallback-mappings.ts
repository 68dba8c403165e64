import type { FieldMapping } from '../rules/rule-types.js';

/**
 * What an issue in the fallback project says when no rule matched: enough for
 * a person to triage it. `_event` is the event's own facts, added beside the
 * PeopleForce record (see sync/mapping-payload.ts).
 */
export const FALLBACK_MAPPINGS: FieldMapping[] = [
  { fieldId: 'summary', sourceType: 'TEMPLATE', value: 'PeopleForce {{ _event.label }}: {{ _event.subject }}' },
  {
    fieldId: 'description',
    sourceType: 'TEMPLATE',
    value:
      'No routing rule matched this PeopleForce event, so it landed in the fallback project.\n\nEvent: {{ _event.type }} ({{ _event.entity }})\nAbout: {{ _event.subject }}\nEmail: {{ email }}\nDepartment: {{ department.name }}\nPosition: {{ position.name }}',
  },
];
