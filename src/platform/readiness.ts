/** Named checks behind /readyz; each component that must be up registers one. */
export type ReadinessCheck = () => { ok: true } | { ok: false; reason: string };

export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  run(): { ready: boolean; checks: Record<string, string> } {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of this.#checks) {
      let result: ReturnType<ReadinessCheck>;
      try {
        result = check();
      } catch (err) {
        result = { ok: false, reason: (err as Error).message };
      }
      checks[name] = result.ok ? 'ok' : result.reason;
      if (!result.ok) ready = false;
    }
    return { ready, checks };
  }
}
