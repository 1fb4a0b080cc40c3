// The device's copy of one meeting, folded from events by the same rules as meeting/domain.
//
// Pure: no DOM, no sockets, no clock. Each area of the rules registers itself with
// `defineArea` (areas/agenda.js now; votes, floor and papers later): how it reads its part of
// a snapshot, how each of its events changes the state, and how it writes its part back out
// in the snapshot's shape, so that `view()` can be compared with the server's own snapshot.
// This module owns the one rule that makes resuming safe: events are applied in order and
// any event whose seq is at or below the last one applied is ignored.

const AREAS = [];
const APPLIERS = new Map();

/**
 * Register an area of the rules.
 *
 *   name:          for messages
 *   fromSnapshot:  (state, snapshot) => void   reads the keys this area owns
 *   toSnapshot:    (state) => object            the same keys, as the server would send them
 *   events:        {"event.name": (state, event) => void, …}  changes `state` in place
 */
export function defineArea(area) {
  for (const name of Object.keys(area.events ?? {})) {
    if (APPLIERS.has(name)) throw new Error(`event ${name} is defined twice`);
    APPLIERS.set(name, area.events[name]);
  }
  AREAS.push(area);
}

/** The event names some area knows how to fold. */
export function knownEvents() {
  return [...APPLIERS.keys()];
}

export class Replica {
  constructor(meetingId) {
    this.meetingId = meetingId;
    this.seq = 0;
    this.state = null;
    /** Event names received that no area knows (a newer server): skipped, seq still moves. */
    this.unknown = new Set();
    /** True after an event could not be folded: only a fresh snapshot can be trusted now. */
    this.stale = false;
    this._listeners = new Set();
  }

  /** True once a snapshot has been loaded: a `hello` may then resume with `since`. */
  get loaded() {
    return this.state !== null;
  }

  /** The `since` for the next hello or long-poll: null asks for a fresh snapshot. */
  get since() {
    return this.loaded && !this.stale ? this.seq : null;
  }

  /** Call `fn(applied, replica)` after each change; `applied` is null for a snapshot. */
  subscribe(fn) {
    this._listeners.add(fn);
    return () => this._listeners.delete(fn);
  }

  /** Replace everything with a snapshot: the whole truth at `seq`, even one below ours. */
  load(snapshot, seq = snapshot.seq) {
    const state = { meeting_id: snapshot.meeting_id ?? this.meetingId };
    for (const area of AREAS) area.fromSnapshot(state, snapshot);
    this.state = state;
    this.seq = seq;
    this.stale = false;
    this._notify(null);
  }

  /** Apply the events newer than `seq`, in order; return those applied. */
  apply(events) {
    if (!this.loaded) throw new Error("apply before any snapshot");
    const applied = [];
    for (const event of events) {
      if (this.stale || event.seq <= this.seq) continue;
      const fold = APPLIERS.get(event.name);
      try {
        if (fold) fold(this.state, event);
        else this.unknown.add(event.name);
      } catch (err) {
        // Keep showing what we have; the connection asks for a fresh snapshot.
        console.error(`cannot apply event ${event.seq} ${event.name}:`, err);
        this.stale = true;
        break;
      }
      this.seq = event.seq;
      applied.push(event);
    }
    if (applied.length) this._notify(applied);
    return applied;
  }

  /** Move `seq` on without events: the log up to `seq` held nothing this audience may see. */
  advance(seq) {
    if (seq > this.seq) this.seq = seq;
  }

  /** The state in the shape of the server's snapshot (`meeting/domain/views.py`). */
  view() {
    if (!this.loaded) return null;
    const out = { meeting_id: this.state.meeting_id, seq: this.seq };
    for (const area of AREAS) Object.assign(out, area.toSnapshot(this.state));
    return out;
  }

  _notify(applied) {
    for (const fn of this._listeners) fn(applied, this);
  }
}
