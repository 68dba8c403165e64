/** One verdict of the smoke run, as the report lists it. */
export interface SmokeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** A check the rest of the run depends on failed, so the run stops there (the report still gets written). */
export class SmokeStopped extends Error {
  constructor(check: string) {
    super(`stopped after a failed check: ${check}`);
    this.name = 'SmokeStopped';
  }
}

/** The checks of one run, in the order they were made. */
export const createSmokeChecks = () => {
  const checks: SmokeCheck[] = [];
  const record = (name: string, ok: boolean, detail: string): boolean => {
    checks.push({ name, ok, detail });
    return ok;
  };
  return {
    record,
    /** Records the check and stops the run when it failed. */
    require(name: string, ok: boolean, detail: string): void {
      if (!record(name, ok, detail)) throw new SmokeStopped(name);
    },
    list: (): SmokeCheck[] => checks.map((c) => ({ ...c })),
    passed: (): boolean => checks.length > 0 && checks.every((c) => c.ok),
  };
};

export type SmokeChecks = ReturnType<typeof createSmokeChecks>;
