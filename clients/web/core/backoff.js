// Reconnection delays: exponential, capped, with jitter so that a hall of tablets that lost
// its Wi-Fi at the same moment does not come back at the same moment.

export const BACKOFF = { base: 500, cap: 10_000 };

/** Milliseconds to wait before attempt `attempt` (0 = the first retry): half fixed, half random. */
export function backoffDelay(attempt, random = Math.random, { base, cap } = BACKOFF) {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
