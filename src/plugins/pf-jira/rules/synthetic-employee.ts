/**
 * The employee a rule is validated against when no real event of its types
 * has been seen yet. It has the shape of a normalized PeopleForce employee
 * (the REST employee object: nested {id, name} objects, YYYY-MM-DD dates, ISO
 * timestamps, custom fields as a list) with every commonly mapped field
 * filled, so a mapping fails validation only when its path or template is
 * wrong, not because the sample was thin. All values are invented.
 */
export const SYNTHETIC_EMPLOYEE: Record<string, unknown> = {
  id: 100001,
  active: true,
  employee_number: 'SAMPLE-0001',
  full_name: 'Sample Employee',
  first_name: 'Sample',
  middle_name: '',
  last_name: 'Employee',
  email: 'sample.employee@example.com',
  personal_email: 'sample.personal@example.com',
  mobile_number: '+10000000000',
  work_phone_number: '+10000000001',
  date_of_birth: '1990-01-15',
  gender: 'female',
  avatar_url: null,
  hired_on: '2026-02-02',
  probation_ends_on: '2026-05-02',
  termination_effective_date: null,
  termination_comment: null,
  position: { id: 1, name: 'Sample Position' },
  department: { id: 2, name: 'Sample Department' },
  division: { id: 3, name: 'Sample Division' },
  location: { id: 4, name: 'Sample Location', holiday_policy_id: null },
  employment_type: { id: 5, name: 'Full-Time' },
  reporting_to: { id: 100000, first_name: 'Sample', last_name: 'Manager', full_name: 'Sample Manager', email: 'sample.manager@example.com' },
  custom_fields: [{ uuid: '00000000-0000-0000-0000-000000000001', name: 'Sample field', value: 'Sample value', group: 'Personal' }],
  created_at: '2026-01-20T09:00:00.000Z',
  updated_at: '2026-01-20T09:00:00.000Z',
};
