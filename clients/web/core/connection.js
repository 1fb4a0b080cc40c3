// The protocol client of the web apps: one meeting, one user, kept up to date on any network.
//
// It speaks docs/protocol.md. Over a WebSocket it says `hello` with the replica's `since`,
// takes the `welcome` (a snapshot or a replay) and feeds every `event` and `events` frame to
// the replica, which ignores anything it has already applied. When a WebSocket cannot be
// opened at all but HTTP answers (a proxy that blocks upgrades), it long-polls
// `GET …/events?since=N&wait=25` and posts commands to `POST …/commands`, and tries a
// WebSocket again now and then. Lost connections come back with exponential back-off and
// jitter; the browser's `offline` event drops the socket at once (Chrome keeps a dead one
// open for minutes) and `online` reconnects at once, catching up by seq, with no reload.
//
// Commands get a client-chosen id and a promise settled by their `ack` or `error`. A command
// whose answer was lost with the connection is sent again with the same id after the
// reconnect: the server applies it at most once and answers with the original outcome.

import { backoffDelay } from "./backoff.js";
import { ServerClock } from "./clock.js";
import { api } from "./http.js";

export const STATUS = Object.freeze({
  CONNECTING: "connecting",
  LIVE: "live", // WebSocket, welcomed
  POLLING: "polling", // HTTP long-poll fallback
  RECONNECTING: "reconnecting",
  OFFLINE: "offline", // the device says it has no network
  SIGNED_OUT: "signed_out", // the token was refused: sign in again
  GONE: "gone", // no such meeting
  STOPPED: "stopped",
});

const CLOSE_UNAUTHORIZED = 4001;
const CLOSE_NO_MEETING = 4004;
/** This paired tablet was revoked by the staff: its token is gone, as after 4001. */
const CLOSE_DEVICE_REVOKED = 4003;
/** Roles changed: the audience may now see items it was never sent, so resume by snapshot. */
const CLOSE_REJOIN = 4009;
/** Refusals that mean "not now": the same command is sent again shortly, same id. */
const RETRY_LATER = new Set(["unavailable", "rate_limited"]);
const RETRY_MS = 1000;

/** A command the server refused, or one that got no answer in time (`code` "timeout"). */
export class CommandError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "CommandError";
    this.code = code;
  }
}

/** A command id: random, 1–64 characters (crypto.randomUUID needs HTTPS; this does not). */
export function newCommandId(prefix = "w") {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export class MeetingConnection extends EventTarget {
  /**
   * replica:         the Replica to feed (its meetingId names the meeting)
   * token:           from sign-in, or null for the public view
   * transport:       "auto" (WebSocket, HTTP when it fails), "ws" or "http"
   * commandTimeout:  ms before a command without an answer is reported as "timeout"
   * connectTimeout:  ms for a WebSocket to be welcomed before it counts as failed
   * pollWait:        seconds each long-poll may wait on the server
   * wsProbeInterval: ms between WebSocket attempts while long-polling
   * clock:           the ServerClock to set from `welcome.now` and the events' `at`
   */
  constructor(replica, options = {}) {
    super();
    this.replica = replica;
    this.token = options.token ?? null;
    this.transport = options.transport ?? "auto";
    this.commandTimeout = options.commandTimeout ?? 20_000;
    this.connectTimeout = options.connectTimeout ?? 10_000;
    this.pollWait = options.pollWait ?? 25;
    this.wsProbeInterval = options.wsProbeInterval ?? 60_000;
    this.clock = options.clock ?? new ServerClock();
    /**
     * Ask for a snapshot on every new connection instead of resuming by seq. Not needed by
     * the public view any more: `agenda.closed_session` and
     * `question.called_in_closed_session` tell it all it may know of a closed session.
     */
    this.freshSnapshots = options.freshSnapshots ?? false;
    this.you = null;
    this._status = STATUS.CONNECTING;
    this._running = false;
    this._mode = this.transport === "http" ? "http" : "ws";
    this._ws = null;
    this._probe = null;
    this._probeTimer = null;
    this._pollRun = 0;
    this._pollCtrl = null;
    this._attempt = 0;
    this._retryTimer = null;
    this._everConnected = false;
    this._needSnapshot = false;
    this._pending = new Map();
    this._onOnline = () => this._networkBack();
    this._onOffline = () => this._networkLost();
    this._onVisible = () => {
      if (document.visibilityState === "visible") this._networkBack();
    };
  }

  get status() {
    return this._status;
  }

  get connected() {
    return this._status === STATUS.LIVE || this._status === STATUS.POLLING;
  }

  get _path() {
    return `/api/meetings/${encodeURIComponent(this.replica.meetingId)}`;
  }

  start() {
    if (this._running) return;
    this._running = true;
    window.addEventListener("online", this._onOnline);
    window.addEventListener("offline", this._onOffline);
    document.addEventListener("visibilitychange", this._onVisible);
    this._connect();
  }

  stop() {
    this._halt(STATUS.STOPPED, new CommandError("stopped", "the connection was stopped"));
  }

  /**
   * Send a command; resolves with `{seq, result}` on its ack (`result`: what it created, e.g.
   * `{vote_id}`, or null), rejects with a CommandError. `id` is for a command sent again
   * after a reload (the outbox): the server answers a known id with its first answer and
   * records nothing twice.
   */
  command(name, args = {}, { timeout = this.commandTimeout, id = newCommandId() } = {}) {
    if (!this._running) {
      return Promise.reject(new CommandError("stopped", "the connection is stopped"));
    }
    if (this._pending.has(id)) return this._pending.get(id).promise;
    const p = { id, name, args, posting: false, retry: null };
    p.promise = new Promise((resolve, reject) => {
      p.resolve = resolve;
      p.reject = reject;
    });
    p.timer = setTimeout(() => {
      this._settle(id, new CommandError("timeout", `no answer to ${name} within ${timeout / 1000} s`));
    }, timeout);
    this._pending.set(id, p);
    this._send(p);
    return p.promise;
  }

  // -- connecting ---------------------------------------------------------------------------

  _setStatus(status) {
    if (status === this._status) return;
    this._status = status;
    this.dispatchEvent(new CustomEvent("status", { detail: status }));
  }

  _connect() {
    clearTimeout(this._retryTimer);
    this._retryTimer = null;
    if (!this._running) return;
    if (navigator.onLine === false) {
      // Nothing to try until the device has a network again: `online` wakes us.
      this._setStatus(STATUS.OFFLINE);
      return;
    }
    this._setStatus(this._everConnected ? STATUS.RECONNECTING : STATUS.CONNECTING);
    if (this._mode === "http") this._poll();
    else this._openSocket(false);
  }

  _retry() {
    if (!this._running) return;
    const delay = backoffDelay(this._attempt++);
    this._setStatus(navigator.onLine === false ? STATUS.OFFLINE : STATUS.RECONNECTING);
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => this._connect(), delay);
  }

  _networkLost() {
    if (!this._running) return;
    this._dropTransport();
    this._setStatus(STATUS.OFFLINE);
  }

  _networkBack() {
    if (!this._running || this.connected || this._ws) return;
    this._attempt = 0;
    if (this.transport !== "http") this._mode = "ws";
    this._connect();
  }

  _dropTransport() {
    clearTimeout(this._retryTimer);
    this._retryTimer = null;
    const ws = this._ws;
    this._ws = null;
    if (ws) ws.close(1000, "network lost");
    this._stopPolling();
  }

  _halt(status, error) {
    this._running = false;
    this._dropTransport();
    window.removeEventListener("online", this._onOnline);
    window.removeEventListener("offline", this._onOffline);
    document.removeEventListener("visibilitychange", this._onVisible);
    for (const id of [...this._pending.keys()]) this._settle(id, error);
    this._setStatus(status);
  }

  _fatal(status) {
    const error =
      status === STATUS.SIGNED_OUT
        ? new CommandError("unauthorized", "sign in again")
        : new CommandError("not_found", "no such meeting");
    this._halt(status, error);
    this.dispatchEvent(new CustomEvent("fatal", { detail: status }));
  }

  // -- the WebSocket ------------------------------------------------------------------------

  _socketUrl() {
    const url = new URL(`/ws/meetings/${encodeURIComponent(this.replica.meetingId)}`, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.href;
  }

  _openSocket(probe) {
    let ws;
    try {
      ws = new WebSocket(this._socketUrl());
    } catch {
      if (probe) this._scheduleProbe();
      else this._socketClosed(1006, false);
      return;
    }
    if (probe) this._probe = ws;
    else this._ws = ws;
    let welcomed = false;
    const timer = setTimeout(() => ws.close(), this.connectTimeout);
    ws.onopen = () => {
      const since = this.freshSnapshots || this._needSnapshot ? null : this.replica.since;
      this._needSnapshot = false;
      ws.send(JSON.stringify({ type: "hello", token: this.token, since }));
    };
    ws.onmessage = (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!welcomed) {
        if (frame.type !== "welcome") return;
        welcomed = true;
        clearTimeout(timer);
        if (probe) {
          if (this._probe !== ws || !this._running) return ws.close();
          this._probe = null;
          this._stopPolling(); // the socket takes over from the long-poll
          this._ws = ws;
        }
        this._welcome(frame);
        return;
      }
      if (this._ws !== ws) return;
      this._frame(frame);
      if (this.replica.stale) ws.close(4000, "resync"); // reconnects and asks for a snapshot
    };
    ws.onclose = (event) => {
      clearTimeout(timer);
      if (this._probe === ws) {
        this._probe = null;
        this._scheduleProbe();
        return;
      }
      if (this._ws !== ws) return; // closed on purpose, or replaced
      this._ws = null;
      this._socketClosed(event.code, welcomed);
    };
  }

  _welcome(frame) {
    this.you = frame.you;
    this._attempt = 0;
    this._everConnected = true;
    this._mode = "ws";
    if (frame.now) this.clock.sync(frame.now);
    if (frame.snapshot) this.replica.load(frame.snapshot, frame.seq);
    this._setStatus(STATUS.LIVE);
    this.dispatchEvent(new CustomEvent("welcome", { detail: frame.you }));
    this._flush();
  }

  _frame(frame) {
    switch (frame.type) {
      case "event":
        this.clock.observe(frame.at);
        this.replica.apply([frame]);
        break;
      case "events":
        for (const e of frame.events) this.clock.observe(e.at);
        this.replica.apply(frame.events);
        break;
      case "ack":
        this._settle(frame.id, null, { seq: frame.seq, result: frame.result ?? null });
        break;
      case "error":
        if (frame.id != null && this._pending.has(frame.id)) {
          this._refused(frame.id, frame.code, frame.message);
        } else {
          this.dispatchEvent(new CustomEvent("protocol-error", { detail: frame }));
        }
        break;
      default:
        break; // a newer server's frame: nothing to do with it
    }
  }

  _socketClosed(code, welcomed) {
    if (!this._running) return;
    if (code === CLOSE_UNAUTHORIZED || code === CLOSE_DEVICE_REVOKED) return this._fatal(STATUS.SIGNED_OUT);
    if (code === CLOSE_NO_MEETING) return this._fatal(STATUS.GONE);
    if (code === CLOSE_REJOIN) this._needSnapshot = true;
    if (!welcomed && this.transport === "auto" && navigator.onLine !== false) {
      // The socket never got going: perhaps WebSockets are blocked here. Try HTTP at once;
      // if that fails too, the server is away and the back-off starts.
      this._mode = "http";
      this._connect();
      return;
    }
    this._retry();
  }

  // -- the HTTP long-poll -------------------------------------------------------------------

  async _poll() {
    const run = ++this._pollRun;
    this._pollCtrl?.abort();
    const ctrl = new AbortController();
    this._pollCtrl = ctrl;
    const request = (path) => api(path, { token: this.token, signal: ctrl.signal });
    try {
      if (!this.replica.loaded || this.replica.stale || this.freshSnapshots || this._needSnapshot) {
        this._needSnapshot = false;
        const first = await request(this._path);
        if (run !== this._pollRun) return;
        if (first.now) this.clock.sync(first.now); // a fresh start, as a welcome is
        this.replica.load(first.snapshot, first.seq);
      }
      this._attempt = 0;
      this._everConnected = true;
      this._setStatus(STATUS.POLLING);
      this._flush();
      this._scheduleProbe();
      let wait = 0; // the first request answers at once with whatever was missed
      for (;;) {
        const page = await request(`${this._path}/events?since=${this.replica.seq}&wait=${wait}`);
        if (run !== this._pollRun) return;
        // Taken as the server answered: a lower bound of its time now, like an event's `at`.
        if (page.now) this.clock.observe(page.now);
        if (page.snapshot) {
          this.replica.load(page.snapshot, page.seq);
        } else {
          for (const e of page.events) this.clock.observe(e.at);
          this.replica.apply(page.events);
          if (this.replica.stale) throw new Error("resync");
          this.replica.advance(page.until);
        }
        wait = page.more ? 0 : this.pollWait;
      }
    } catch (err) {
      if (run !== this._pollRun || err.name === "AbortError") return;
      if (err.status === 404) return this._fatal(STATUS.GONE);
      // A token that expired or was revoked: the server says so instead of the public view.
      if (err.status === 401 && this.token) return this._fatal(STATUS.SIGNED_OUT);
      this._stopPolling();
      if (this.transport !== "http") this._mode = "ws";
      this._retry();
    }
  }

  _stopPolling() {
    this._pollRun++;
    this._pollCtrl?.abort();
    this._pollCtrl = null;
    clearTimeout(this._probeTimer);
    this._probeTimer = null;
    const probe = this._probe;
    this._probe = null;
    if (probe) probe.close();
  }

  _scheduleProbe() {
    if (this.transport !== "auto" || this._probeTimer || this._probe) return;
    this._probeTimer = setTimeout(() => {
      this._probeTimer = null;
      if (this._running && this._status === STATUS.POLLING && navigator.onLine !== false) {
        this._openSocket(true);
      }
    }, this.wsProbeInterval);
  }

  // -- commands -----------------------------------------------------------------------------

  _send(p) {
    if (!this._pending.has(p.id)) return;
    if (this._status === STATUS.LIVE && this._ws?.readyState === WebSocket.OPEN) {
      this._ws.send(JSON.stringify({ type: "command", id: p.id, name: p.name, args: p.args }));
    } else if (this._status === STATUS.POLLING) {
      this._post(p);
    }
    // Otherwise it waits for the next welcome (or long-poll start), which flushes it.
  }

  _flush() {
    for (const p of this._pending.values()) this._send(p);
  }

  async _post(p) {
    if (p.posting) return;
    p.posting = true;
    try {
      const answer = await api(`${this._path}/commands`, {
        method: "POST",
        token: this.token,
        body: { id: p.id, name: p.name, args: p.args },
      });
      this._settle(p.id, null, { seq: answer.seq, result: answer.result ?? null });
    } catch (err) {
      if (err.status === 0) {
        // No answer: send it again (same id) once we are connected.
        p.retry = setTimeout(() => this._send(p), RETRY_MS);
      } else {
        this._refused(p.id, err.code, err.message);
      }
    } finally {
      p.posting = false;
    }
  }

  _refused(id, code, message) {
    const p = this._pending.get(id);
    if (!p) return;
    if (RETRY_LATER.has(code)) {
      clearTimeout(p.retry);
      p.retry = setTimeout(() => this._send(p), RETRY_MS);
      return;
    }
    this._settle(id, new CommandError(code, message));
    if (code === "unauthorized" && this.token) this._fatal(STATUS.SIGNED_OUT);
  }

  _settle(id, error, value) {
    const p = this._pending.get(id);
    if (!p) return;
    this._pending.delete(id);
    clearTimeout(p.timer);
    clearTimeout(p.retry);
    if (error) p.reject(error);
    else p.resolve(value);
  }
}
