// The written record folded on the device: the client's half of meeting/domain/record.py
// (its `@on(...)` handlers and the snapshot's `minutes`, `notes` and `sections`). The fold
// test in tests/test_web_units.py checks it against the server's snapshot for every audience.
//
// Everyone sees where the minutes stand (approved, sealed, addenda); only staff receive the
// clerk's notes and the draft sections, so only a staff device has them (and writes them
// back in its view).

import { defineArea } from "../core/replica.js";

const note = (n) => ({
  note_id: n.note_id,
  item_id: n.item_id,
  text: n.text,
  at: n.at,
  by: n.by,
  edited_at: n.edited_at,
});

defineArea({
  name: "record",

  fromSnapshot(state, s) {
    const m = s.minutes;
    const staff = "notes" in s;
    state.record = {
      staff,
      approved_at: m.approved_at,
      sealed_at: m.sealed_at,
      sealed_manifest: m.sealed_manifest,
      addenda: m.addenda.map((a) => ({ ...a })),
      notes: new Map((s.notes ?? []).map((n) => [n.note_id, note(n)])),
      sections: new Map(Object.entries(s.sections ?? {})),
    };
  },

  toSnapshot(state) {
    const r = state.record;
    const out = {
      minutes: {
        approved_at: r.approved_at,
        sealed_at: r.sealed_at,
        sealed_manifest: r.sealed_manifest,
        addenda: r.addenda.map((a) => ({ ...a })),
      },
    };
    if (r.staff) {
      out.notes = [...r.notes.values()].map(note);
      out.sections = Object.fromEntries(r.sections);
    }
    return out;
  },

  events: {
    "note.added"(state, e) {
      const d = e.data;
      const n = { note_id: d.note_id, item_id: d.item_id, text: d.text, at: e.at, by: e.actor ?? null, edited_at: null };
      state.record.notes.set(n.note_id, n);
    },
    "note.edited"(state, e) {
      const n = state.record.notes.get(e.data.note_id);
      if (!n) throw new Error(`event about an unknown note ${e.data.note_id}`);
      n.text = e.data.text;
      n.edited_at = e.at;
    },
    "minutes.section_set"(state, e) {
      state.record.sections.set(e.data.key, e.data.text);
    },
    "minutes.approved"(state, e) {
      state.record.approved_at = e.at;
    },
    "minutes.sealed"(state, e) {
      state.record.sealed_at = e.at;
      state.record.sealed_manifest = e.data.manifest_sha256;
    },
    "minutes.addendum_added"(state, e) {
      state.record.addenda.push({ addendum_id: e.data.addendum_id, text: e.data.text, at: e.at });
    },
  },
});

// -- selectors ------------------------------------------------------------------------------

/** Where the minutes stand: "draft", "approved" (by the chair) or "sealed". */
export function minutesStatus(state) {
  const r = state.record;
  if (r.sealed_manifest) return "sealed";
  return r.approved_at ? "approved" : "draft";
}

/** A draft section's text (staff only), or "". */
export function sectionText(state, key) {
  return state.record.sections.get(key) ?? "";
}
