import v8 from 'node:v8';

const GROWTH_FLAG = '--semi-space-growth-factor';
/** V8's own default, which setFlagsFromString cannot read back. */
const DEFAULT_GROWTH = 2;

/**
 * Start-up compiles every module and drops most of what it allocates at once.
 * Left alone, V8 grows the young generation to its maximum for that burst and
 * keeps it resident until the process has idled for the best part of a minute,
 * about 11 MiB on a VM sized for one small process. Holding growth during
 * start-up costs little time; releasing it once the hub serves lets real load
 * have a large young generation again. A growth factor the operator set in
 * NODE_OPTIONS or on the command line is left alone.
 */
export const holdYoungGenerationGrowth = (): (() => void) => {
  const operatorSet = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes('semi-space-growth-factor'));
  if (operatorSet) return () => undefined;
  v8.setFlagsFromString(`${GROWTH_FLAG}=1`);
  return () => v8.setFlagsFromString(`${GROWTH_FLAG}=${DEFAULT_GROWTH}`);
};
