/** graphile-worker's retry delay: exp(min(attempts, 10)) seconds, so about 2.7 s, 7.4 s, 20 s … capped near 6 h. */
export const backoffMs = (attempts: number): number => Math.round(Math.exp(Math.min(attempts, 10)) * 1000);
