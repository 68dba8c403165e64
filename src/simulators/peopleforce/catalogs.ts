/**
 * The company's reference lists (departments, positions, …) that employee
 * objects point into, with PeopleForce-like ids. Unknown names given to a hire
 * or an update are added on the fly, as an HR admin would create them.
 */
export interface Ref {
  id: number;
  name: string;
}

export interface LocationRef extends Ref {
  holiday_policy_id: number | null;
}

export interface CustomFieldDef {
  uuid: string;
  name: string;
  group: string;
}

export interface LeaveTypeRecord {
  id: number;
  name: string;
  unit: 'days' | 'hours';
}

export interface Catalogs {
  departments: Ref[];
  positions: Ref[];
  divisions: Ref[];
  locations: LocationRef[];
  employmentTypes: Ref[];
  customFields: CustomFieldDef[];
  leaveTypes: LeaveTypeRecord[];
}

export type RefCatalog = 'departments' | 'positions' | 'divisions' | 'locations' | 'employmentTypes';

const numbered = (firstId: number, names: string[]): Ref[] => names.map((name, i) => ({ id: firstId + i, name }));

const POSITION_NAMES = [
  'Chief Executive Officer',
  'Head of Engineering',
  'Senior Backend Engineer',
  'Backend Engineer',
  'Frontend Engineer',
  'Junior Frontend Engineer',
  'QA Engineer',
  'DevOps Engineer',
  'Data Engineer',
  'Technical Writer',
  'IT Manager',
  'IT Support Engineer',
  'Systems Administrator',
  'Head of Sales',
  'Account Executive',
  'Sales Development Representative',
  'Customer Success Manager',
  'Finance Manager',
  'Accountant',
  'Payroll Specialist',
  'HR Manager',
  'Recruiter',
  'Operations Manager',
  'Office Manager',
];

/** The custom fields every company profile carries, with the uuids webhooks key them by. */
export const CUSTOM_FIELDS = {
  shirtSize: { uuid: '6f1c2a8e-4b7d-4e0a-9c31-5d2e8f7a1b01', name: 'Shirt size', group: 'Personal' },
  laptop: { uuid: '0b9e7d44-2c1f-4a6b-8e5d-3f4a9c2b7e02', name: 'Laptop preference', group: 'Equipment' },
} as const satisfies Record<string, CustomFieldDef>;

export const createCatalogs = (): Catalogs => ({
  departments: numbered(5_090, ['Engineering', 'IT', 'Sales', 'Finance', 'HR', 'Operations']),
  positions: numbered(114_640, POSITION_NAMES),
  divisions: numbered(1_819, ['Europe', 'Global']),
  locations: numbered(28_690, ['Kyiv', 'Lviv', 'Berlin', 'Remote']).map((r) => ({ ...r, holiday_policy_id: null })),
  employmentTypes: numbered(1_899, ['Full-Time', 'Part-Time', 'Contractor']),
  customFields: [{ ...CUSTOM_FIELDS.shirtSize }, { ...CUSTOM_FIELDS.laptop }],
  leaveTypes: [
    { id: 4_101, name: 'Vacation', unit: 'days' },
    { id: 4_102, name: 'Sick leave', unit: 'days' },
    { id: 4_103, name: 'Day off', unit: 'days' },
    { id: 4_104, name: 'Doctor appointment', unit: 'hours' },
  ],
});

export const findRef = <T extends Ref>(list: T[], id: number | null): T | null => (id === null ? null : (list.find((r) => r.id === id) ?? null));

/** The entry with this name (any case), added with the next id when the company has none yet. */
export const refIdByName = (catalogs: Catalogs, catalog: RefCatalog, name: string): number => {
  const list: Ref[] = catalogs[catalog];
  const found = list.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (found) return found.id;
  const id = Math.max(0, ...list.map((r) => r.id)) + 1;
  if (catalog === 'locations') catalogs.locations.push({ id, name, holiday_policy_id: null });
  else list.push({ id, name });
  return id;
};

/** A leave type by id, or by name in any case. */
export const findLeaveType = (catalogs: Catalogs, idOrName: number | string): LeaveTypeRecord | undefined =>
  catalogs.leaveTypes.find((t) => (typeof idOrName === 'number' ? t.id === idOrName : t.name.toLowerCase() === idOrName.toLowerCase()));
