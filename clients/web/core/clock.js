// The server's clock as this device can know it, for countdowns (speaking time, timed votes).
//
// Timers are the server's: a speech's `deadline` and a vote's `closes_at` are server times.
// A tablet's own clock may be minutes off, so time left is `deadline - serverNow()`, with
// serverNow = Date.now() + offset. The offset comes from `welcome.now` (docs/protocol.md)
// and from the `at` of every event received: each is a server time at or before the moment
// it arrives, so `at - Date.now()` never exceeds the true offset, and the largest such
// sample since the last welcome is the best estimate (it only errs by the network's delay,
// and then towards showing a little less time, never more than was allowed).

export class ServerClock extends EventTarget {
  constructor() {
    super();
    /** Server time minus this device's time, in ms; null until the first sample. */
    this.offset = null;
  }

  /** A server time read as a fresh start (the welcome): replaces what was known. */
  sync(iso) {
    const at = Date.parse(iso);
    if (Number.isNaN(at)) return;
    this.offset = at - Date.now();
    this.dispatchEvent(new Event("change"));
  }

  /** A server time seen on an event as it arrives: a lower bound of the server's now. */
  observe(iso) {
    const at = Date.parse(iso);
    if (Number.isNaN(at)) return;
    const sample = at - Date.now();
    if (this.offset === null || sample > this.offset) {
      this.offset = sample;
      this.dispatchEvent(new Event("change"));
    }
  }

  /** The server's time now, in ms since the epoch (this device's clock until a sample). */
  now() {
    return Date.now() + (this.offset ?? 0);
  }
}

/** Milliseconds since the epoch of an ISO time, or null. */
export function ms(iso) {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
}

/**
 * Whole seconds as a countdown shows them: rounded away from zero, so that it shows 5:00
 * for its first second, 0:01 for its last, and −0:01 as soon as the time is up.
 */
export function wholeSeconds(seconds) {
  return seconds >= 0 ? Math.ceil(seconds - 1e-9) : -Math.ceil(-seconds - 1e-9);
}

/** Seconds as `m:ss` (or `h:mm:ss`); below zero (an overrun) with a minus sign: −0:12. */
export function formatSeconds(seconds) {
  const whole = wholeSeconds(seconds);
  const sign = whole < 0 ? "−" : "";
  let rest = Math.abs(whole);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const ss = String(s).padStart(2, "0");
  return h ? `${sign}${h}:${String(m).padStart(2, "0")}:${ss}` : `${sign}${m}:${ss}`;
}
