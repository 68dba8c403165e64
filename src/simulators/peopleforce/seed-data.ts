import { addDays, addMonths, dayToMs, isoDay } from './calendar.js';
import { CUSTOM_FIELDS, findLeaveType, refIdByName } from './catalogs.js';
import { allocateEmployeeNumber, type EmployeeRecord, type LeaveState, type SimState } from './sim-state.js';

/**
 * A small company of 25 people, built the same way every time for a given
 * clock: dates are offsets from "today" so the mix of statuses (a pending hire,
 * someone on probation, a leaver, a scheduled leaver) holds whenever it runs.
 */
interface SeedPerson {
  first: string;
  last: string;
  gender: 'male' | 'female';
  position: string;
  department: string;
  location: 'Kyiv' | 'Lviv' | 'Berlin' | 'Remote';
  type: 'Full-Time' | 'Part-Time' | 'Contractor';
  /** Index into PEOPLE of the manager. */
  manager: number | null;
  /** Negative for a hire date still to come. */
  hiredDaysAgo: number;
  terminatedDaysAgo?: number;
  terminationComment?: string;
}

const PEOPLE: SeedPerson[] = [
  { first: 'Taras', last: 'Shevchuk', gender: 'male', position: 'Chief Executive Officer', department: 'Operations', location: 'Kyiv', type: 'Full-Time', manager: null, hiredDaysAgo: 2900 },
  { first: 'Olena', last: 'Koval', gender: 'female', position: 'Head of Engineering', department: 'Engineering', location: 'Kyiv', type: 'Full-Time', manager: 0, hiredDaysAgo: 2700 },
  { first: 'Dmytro', last: 'Bondarenko', gender: 'male', position: 'Senior Backend Engineer', department: 'Engineering', location: 'Kyiv', type: 'Full-Time', manager: 1, hiredDaysAgo: 2100 },
  { first: 'Iryna', last: 'Melnyk', gender: 'female', position: 'Frontend Engineer', department: 'Engineering', location: 'Lviv', type: 'Full-Time', manager: 1, hiredDaysAgo: 1500 },
  { first: 'Andriy', last: 'Tkachenko', gender: 'male', position: 'QA Engineer', department: 'Engineering', location: 'Lviv', type: 'Full-Time', manager: 1, hiredDaysAgo: 1200 },
  { first: 'Lukas', last: 'Becker', gender: 'male', position: 'DevOps Engineer', department: 'Engineering', location: 'Berlin', type: 'Full-Time', manager: 1, hiredDaysAgo: 980 },
  { first: 'Sofia', last: 'Hoffmann', gender: 'female', position: 'Backend Engineer', department: 'Engineering', location: 'Remote', type: 'Contractor', manager: 1, hiredDaysAgo: 400 },
  { first: 'Maksym', last: 'Kravchenko', gender: 'male', position: 'IT Manager', department: 'IT', location: 'Kyiv', type: 'Full-Time', manager: 0, hiredDaysAgo: 2500 },
  { first: 'Yulia', last: 'Savchenko', gender: 'female', position: 'IT Support Engineer', department: 'IT', location: 'Lviv', type: 'Full-Time', manager: 7, hiredDaysAgo: 800 },
  { first: 'Bohdan', last: 'Lysenko', gender: 'male', position: 'Systems Administrator', department: 'IT', location: 'Kyiv', type: 'Full-Time', manager: 7, hiredDaysAgo: 30 },
  { first: 'Anna', last: 'Schmidt', gender: 'female', position: 'Head of Sales', department: 'Sales', location: 'Berlin', type: 'Full-Time', manager: 0, hiredDaysAgo: 2300 },
  { first: 'Jonas', last: 'Weber', gender: 'male', position: 'Account Executive', department: 'Sales', location: 'Berlin', type: 'Full-Time', manager: 10, hiredDaysAgo: 1100 },
  { first: 'Kateryna', last: 'Shevchenko', gender: 'female', position: 'Sales Development Representative', department: 'Sales', location: 'Kyiv', type: 'Full-Time', manager: 10, hiredDaysAgo: 600 },
  { first: 'Marco', last: 'Rossi', gender: 'male', position: 'Account Executive', department: 'Sales', location: 'Remote', type: 'Contractor', manager: 10, hiredDaysAgo: 250 },
  { first: 'Natalia', last: 'Ivanenko', gender: 'female', position: 'Finance Manager', department: 'Finance', location: 'Kyiv', type: 'Full-Time', manager: 0, hiredDaysAgo: 2600 },
  { first: 'Petro', last: 'Moroz', gender: 'male', position: 'Accountant', department: 'Finance', location: 'Lviv', type: 'Part-Time', manager: 14, hiredDaysAgo: 1400 },
  { first: 'Oksana', last: 'Rudenko', gender: 'female', position: 'HR Manager', department: 'HR', location: 'Kyiv', type: 'Full-Time', manager: 0, hiredDaysAgo: 2400 },
  { first: 'Marta', last: 'Kowalska', gender: 'female', position: 'Recruiter', department: 'HR', location: 'Lviv', type: 'Part-Time', manager: 16, hiredDaysAgo: 700 },
  { first: 'Viktor', last: 'Pavlenko', gender: 'male', position: 'Operations Manager', department: 'Operations', location: 'Kyiv', type: 'Full-Time', manager: 0, hiredDaysAgo: 2000 },
  { first: 'Hanna', last: 'Zaitseva', gender: 'female', position: 'Office Manager', department: 'Operations', location: 'Lviv', type: 'Full-Time', manager: 18, hiredDaysAgo: 900 },
  { first: 'Felix', last: 'Braun', gender: 'male', position: 'Data Engineer', department: 'Engineering', location: 'Berlin', type: 'Full-Time', manager: 1, hiredDaysAgo: 1000, terminatedDaysAgo: 60, terminationComment: 'Moved to another company' },
  { first: 'Svitlana', last: 'Hrytsenko', gender: 'female', position: 'Payroll Specialist', department: 'Finance', location: 'Kyiv', type: 'Full-Time', manager: 14, hiredDaysAgo: 500 },
  { first: 'Roman', last: 'Kuzmenko', gender: 'male', position: 'Junior Frontend Engineer', department: 'Engineering', location: 'Kyiv', type: 'Full-Time', manager: 1, hiredDaysAgo: -7 },
  { first: 'Lena', last: 'Fischer', gender: 'female', position: 'Customer Success Manager', department: 'Sales', location: 'Remote', type: 'Full-Time', manager: 10, hiredDaysAgo: 750, terminatedDaysAgo: -20, terminationComment: 'Relocating' },
  { first: 'Ostap', last: 'Hnatyuk', gender: 'male', position: 'Technical Writer', department: 'Engineering', location: 'Remote', type: 'Contractor', manager: 1, hiredDaysAgo: 150 },
];

interface SeedLeave {
  person: number;
  type: string;
  fromDay: number;
  toDay: number;
  state: LeaveState;
  comment: string;
  perDay?: number;
}

const LEAVE: SeedLeave[] = [
  { person: 2, type: 'Vacation', fromDay: 14, toDay: 18, state: 'approved', comment: 'Family trip' },
  { person: 3, type: 'Sick leave', fromDay: -10, toDay: -9, state: 'approved', comment: '' },
  { person: 11, type: 'Vacation', fromDay: 30, toDay: 39, state: 'pending', comment: 'Summer holiday' },
  { person: 15, type: 'Day off', fromDay: 5, toDay: 5, state: 'pending', comment: '' },
  { person: 16, type: 'Doctor appointment', fromDay: 3, toDay: 3, state: 'approved', comment: 'Dentist', perDay: 3 },
  { person: 17, type: 'Vacation', fromDay: 20, toDay: 24, state: 'rejected', comment: 'Hiring week, please move' },
];

const SHIRT_SIZES = ['S', 'M', 'L', 'XL'];
const LAPTOPS = ['MacBook Pro 14', 'ThinkPad X1 Carbon', 'Dell XPS 13'];
const HOUR_MS = 3_600_000;

/** Digits that look like a phone number but follow from the person's position in the list. */
const phoneDigits = (i: number): string => String(1_000_000 + ((i * 7_919) % 9_000_000)).padStart(7, '0');

export const seedCompany = (state: SimState, now: number): void => {
  const today = isoDay(now);
  const atDay = (offset: number, minutes = 0): number => Math.min(now, dayToMs(addDays(today, offset)) + 9 * HOUR_MS + minutes * 60_000);
  const firstId = state.nextEmployeeId;

  PEOPLE.forEach((p, i) => {
    const hiredOn = addDays(today, -p.hiredDaysAgo);
    const terminatedOn = p.terminatedDaysAgo === undefined ? null : addDays(today, -p.terminatedDaysAgo);
    const createdAt = atDay(-p.hiredDaysAgo - 14, i);
    const record: EmployeeRecord = {
      id: state.nextEmployeeId++,
      employee_number: allocateEmployeeNumber(state, p.department),
      first_name: p.first,
      middle_name: '',
      last_name: p.last,
      email: `${p.first}.${p.last}@example.com`.toLowerCase(),
      personal_email: i % 3 === 0 ? `${p.first}${p.last}@mail.example`.toLowerCase() : null,
      mobile_number: p.location === 'Berlin' ? `+49151${phoneDigits(i)}` : `+38050${phoneDigits(i)}`,
      work_phone_number: '',
      date_of_birth: `${1975 + ((i * 7) % 25)}-${String(((i * 5) % 12) + 1).padStart(2, '0')}-${String(((i * 11) % 28) + 1).padStart(2, '0')}`,
      gender: p.gender,
      avatar_url: null,
      hired_on: hiredOn,
      probation_ends_on: p.type === 'Contractor' ? null : addMonths(hiredOn, 3),
      termination_effective_date: terminatedOn,
      termination_comment: p.terminationComment ?? null,
      position_id: refIdByName(state.catalogs, 'positions', p.position),
      department_id: refIdByName(state.catalogs, 'departments', p.department),
      division_id: refIdByName(state.catalogs, 'divisions', p.location === 'Remote' ? 'Global' : 'Europe'),
      location_id: refIdByName(state.catalogs, 'locations', p.location),
      employment_type_id: refIdByName(state.catalogs, 'employmentTypes', p.type),
      reporting_to_id: p.manager === null ? null : firstId + p.manager,
      custom_fields: {
        [CUSTOM_FIELDS.shirtSize.uuid]: SHIRT_SIZES[i % SHIRT_SIZES.length] ?? null,
        [CUSTOM_FIELDS.laptop.uuid]: i % 5 === 4 ? null : (LAPTOPS[i % LAPTOPS.length] ?? null),
      },
      created_at: createdAt,
      updated_at: p.terminatedDaysAgo === undefined ? Math.min(now, createdAt + 2 * HOUR_MS) : atDay(Math.min(-p.terminatedDaysAgo, 0) - 5, i),
      startAnnounced: hiredOn <= today,
      terminationAnnounced: terminatedOn !== null && terminatedOn <= today,
    };
    state.employees.set(record.id, record);
  });

  for (const l of LEAVE) {
    const employeeId = firstId + l.person;
    const leaveType = findLeaveType(state.catalogs, l.type);
    if (!leaveType) throw new Error(`the seed names an unknown leave type: ${l.type}`);
    const createdAt = atDay(Math.min(l.fromDay, 0) - 7, l.person);
    const id = state.nextLeaveRequestId++;
    state.leaveRequests.set(id, {
      id,
      employee_id: employeeId,
      leave_type_id: leaveType.id,
      state: l.state,
      amount_per_day: l.perDay ?? 1,
      starts_on: addDays(today, l.fromDay),
      ends_on: addDays(today, l.toDay),
      comment: l.comment,
      approver_id: l.state === 'pending' ? null : (state.employees.get(employeeId)?.reporting_to_id ?? null),
      created_at: createdAt,
      updated_at: l.state === 'pending' ? createdAt : Math.min(now, createdAt + 26 * HOUR_MS),
    });
  }
};
