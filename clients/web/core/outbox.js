// Commands that must reach the server even if the tablet is offline when they are made, or
// reloaded before they are sent: a delegate's private notes and highlights, her read receipts.
//
// Each command is kept in localStorage with its command id before it is sent, and sent again
// (same id) on every new connection until the server answers; the server records a known id
// once and answers it with its first answer, so nothing is recorded twice. A refusal is
// final (the command is dropped and `onRefused` says why); no answer (offline, timeout)
// keeps it for the next connection. The views show what is still waiting (`pending`).

import { newCommandId } from "./connection.js";

const RESEND = new Set(["timeout", "stopped", "network", "unavailable", "rate_limited"]);

export class Outbox {
  /**
   * key:        localStorage key (per app, meeting and user)
   * conn:       the MeetingConnection to send through
   * onChange:   called when the waiting list changes (to re-render)
   * onRefused:  (entry, err) for a command the server refused
   */
  constructor(key, conn, { onChange = () => {}, onRefused = () => {} } = {}) {
    this.key = key;
    this.conn = conn;
    this.onChange = onChange;
    this.onRefused = onRefused;
    this._entries = this._load();
    this._inFlight = new Map(); // id → the promise of its answer
    conn.addEventListener("status", () => {
      if (conn.connected) this.flush();
    });
  }

  /** The commands not yet answered, oldest first: `[{id, name, args, at}]`. */
  get pending() {
    return [...this._entries];
  }

  /** Keep the command, then send it; resolves with the ack, or null if it waits. */
  async add(name, args) {
    const entry = { id: newCommandId("o"), name, args, at: new Date().toISOString() };
    this._entries.push(entry);
    this._save();
    this.onChange();
    return this._send(entry);
  }

  /** Send everything waiting (on each new connection); resolves once each has an answer
   * or is kept for the next connection. */
  flush() {
    return Promise.all(this._entries.map((entry) => this._send(entry)));
  }

  _send(entry) {
    if (!this._inFlight.has(entry.id)) {
      const answer = this._answer(entry).finally(() => this._inFlight.delete(entry.id));
      this._inFlight.set(entry.id, answer);
    }
    return this._inFlight.get(entry.id);
  }

  async _answer(entry) {
    try {
      const ack = await this.conn.command(entry.name, entry.args, { id: entry.id });
      this._drop(entry.id);
      return ack;
    } catch (err) {
      if (RESEND.has(err.code)) return null;
      this._drop(entry.id);
      this.onRefused(entry, err);
      return null;
    }
  }

  _drop(id) {
    const before = this._entries.length;
    this._entries = this._entries.filter((e) => e.id !== id);
    if (this._entries.length !== before) {
      this._save();
      this.onChange();
    }
  }

  _load() {
    try {
      const raw = JSON.parse(localStorage.getItem(this.key) ?? "[]");
      return Array.isArray(raw) ? raw.filter((e) => e && typeof e.id === "string") : [];
    } catch {
      return [];
    }
  }

  _save() {
    try {
      if (this._entries.length) localStorage.setItem(this.key, JSON.stringify(this._entries));
      else localStorage.removeItem(this.key);
    } catch {
      // storage full or disabled: the commands still go while the page stays open
    }
  }
}
