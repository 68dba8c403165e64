/** PeopleForce dates are plain `YYYY-MM-DD` days; the simulator reckons them in UTC. */
const DAY_MS = 86_400_000;

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const isoTimestamp = (ms: number): string => new Date(ms).toISOString();

export const dayToMs = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

export const addDays = (day: string, days: number): string => isoDay(dayToMs(day) + days * DAY_MS);

export const addMonths = (day: string, months: number): string => {
  const d = new Date(dayToMs(day));
  d.setUTCMonth(d.getUTCMonth() + months);
  return isoDay(d.getTime());
};

/** Monday to Friday between two days, both included: the days a leave request takes. */
export const workingDays = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let ms = dayToMs(from); ms <= dayToMs(to); ms += DAY_MS) {
    const weekday = new Date(ms).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(isoDay(ms));
  }
  return days;
};
