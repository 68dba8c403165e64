import { addDays } from './calendar.js';
import { employeeStatus, isActive } from './employee-views.js';
import type { PeopleForceSimulator } from './peopleforce-simulator.js';
import { sortedEmployees, sortedLeaveRequests, type EmployeeRecord } from './sim-state.js';

/**
 * Background HR activity for the demo: every few seconds one believable change
 * (a hire starting soon, a move, a leaver, a leave request or its approval),
 * each going through the simulator's own methods so webhooks fire as usual.
 */
export interface TrickleOptions {
  everyMs: number;
  /** In [0, 1); inject a seeded one for repeatable runs. */
  random?: () => number;
  onChange?: (description: string) => void;
  onError?: (error: unknown) => void;
}

const POSITIONS_BY_DEPARTMENT: Record<string, string[]> = {
  Engineering: ['Backend Engineer', 'Frontend Engineer', 'QA Engineer', 'DevOps Engineer', 'Data Engineer'],
  IT: ['IT Support Engineer', 'Systems Administrator'],
  Sales: ['Account Executive', 'Sales Development Representative', 'Customer Success Manager'],
  Finance: ['Accountant', 'Payroll Specialist'],
  HR: ['Recruiter', 'HR Manager'],
  Operations: ['Office Manager', 'Operations Manager'],
};
const DEPARTMENTS = Object.keys(POSITIONS_BY_DEPARTMENT);
const LOCATIONS = ['Kyiv', 'Lviv', 'Berlin', 'Remote'];
const FIRST_NAMES = ['Olha', 'Serhiy', 'Mariia', 'Yaroslav', 'Daria', 'Oleksandr', 'Tetiana', 'Ihor', 'Julia', 'Max', 'Clara', 'Paul', 'Zofia', 'Nazar'];
const LAST_NAMES = ['Marchenko', 'Polishchuk', 'Boyko', 'Tkachuk', 'Romanenko', 'Klein', 'Wagner', 'Nowak', 'Hrytsak', 'Dovzhenko', 'Lehmann', 'Sydorenko'];
const LEAVE_REASONS = ['Resigned', 'Relocation', 'Career change', 'Mutual agreement'];
const DAY_LEAVE_TYPES = ['Vacation', 'Sick leave', 'Day off'];
/** Below this many active people the trickle hires instead of letting someone go. */
const MIN_HEADCOUNT = 15;

export const trickleStep = (sim: PeopleForceSimulator, random: () => number): string => {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const today = sim.today();
  const people = sortedEmployees(sim.state);
  const active = people.filter((e) => isActive(employeeStatus(e, today)));
  const managers = new Set(people.map((e) => e.reporting_to_id));
  const staff = active.filter((e) => !managers.has(e.id));
  const leavers = staff.filter((e) => e.termination_effective_date === null);
  const departmentOf = (e: EmployeeRecord) => sim.state.catalogs.departments.find((d) => d.id === e.department_id)?.name;
  const nameOf = (e: { first_name: string; last_name: string }) => `${e.first_name} ${e.last_name}`;

  const hire = (): string => {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const base = `${first}.${last}`.toLowerCase();
    let email = `${base}@example.com`;
    for (let n = 2; people.some((e) => e.email === email); n++) email = `${base}${n}@example.com`;
    const department = pick(DEPARTMENTS);
    const location = pick(LOCATIONS);
    const contractor = random() < 0.2;
    const head = active.find((e) => departmentOf(e) === department && managers.has(e.id));
    const startsOn = random() < 0.2 ? today : addDays(today, between(1, 14));
    const hired = sim.hire({
      first_name: first,
      last_name: last,
      email,
      department,
      position: pick(POSITIONS_BY_DEPARTMENT[department] ?? []),
      location,
      division: location === 'Remote' ? 'Global' : 'Europe',
      employment_type: contractor ? 'Contractor' : pick(['Full-Time', 'Full-Time', 'Part-Time']),
      reporting_to_id: head?.id ?? null,
      hired_on: startsOn,
      custom_fields: { 'Shirt size': pick(['S', 'M', 'L', 'XL']), 'Laptop preference': pick(['MacBook Pro 14', 'ThinkPad X1 Carbon']) },
    });
    return `hired ${hired.full_name} (${hired.employment_type?.name}, ${department}) starting ${startsOn}`;
  };

  const move = (): string => {
    const who = pick(staff);
    const department = random() < 0.5 ? (departmentOf(who) ?? pick(DEPARTMENTS)) : pick(DEPARTMENTS);
    const moved = sim.update(who.id, { department, position: pick(POSITIONS_BY_DEPARTMENT[department] ?? []) });
    return `moved ${moved.full_name} to ${moved.position?.name} in ${department}`;
  };

  const terminate = (): string => {
    const who = pick(leavers);
    const on = random() < 0.5 ? today : addDays(today, between(1, 30));
    const contractor = sim.state.catalogs.employmentTypes.find((t) => t.id === who.employment_type_id)?.name === 'Contractor';
    sim.terminate(who.id, { on, comment: contractor ? 'End of contract' : pick(LEAVE_REASONS) });
    return `terminated ${nameOf(who)} effective ${on}`;
  };

  const requestLeave = (): string => {
    const who = pick(active);
    const startsOn = addDays(today, between(1, 30));
    const type = pick(DAY_LEAVE_TYPES);
    sim.addLeaveRequest({ employee_id: who.id, leave_type: type, starts_on: startsOn, ends_on: addDays(startsOn, between(0, 4)) });
    return `${nameOf(who)} asked for ${type.toLowerCase()} from ${startsOn}`;
  };

  const approveLeave = (): string => {
    const pending = sortedLeaveRequests(sim.state).filter((l) => l.state === 'pending');
    if (pending.length === 0) return requestLeave();
    const approved = sim.approveLeave(pick(pending).id);
    return `approved leave request ${approved.id} (${approved.leave_type}, ${approved.starts_on})`;
  };

  const roll = random();
  if (roll < 0.35 || leavers.length === 0) return hire();
  if (roll < 0.6) return move();
  if (roll < 0.75) return active.length > MIN_HEADCOUNT ? terminate() : hire();
  if (roll < 0.9) return requestLeave();
  return approveLeave();
};

/** Starts the trickle; returns the function that stops it. The nightly run goes first, so scheduled starts and leavers arrive too. */
export const startTrickle = (sim: PeopleForceSimulator, options: TrickleOptions): (() => void) => {
  const random = options.random ?? Math.random;
  const timer = setInterval(() => {
    try {
      for (const fired of sim.runNightly()) options.onChange?.(`${fired.topic} for employee ${fired.employeeId}`);
      const change = trickleStep(sim, random);
      options.onChange?.(change);
    } catch (err) {
      options.onError?.(err);
    }
  }, options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
};
