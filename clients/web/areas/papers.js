// Papers (tài liệu) folded on the device: the client's half of meeting/domain/papers_apply.py
// (its `@on(...)` handlers and the snapshot's `papers`). The fold test in
// tests/test_web_units.py checks it against the server's snapshot for every audience.
//
// A device receives only the papers it may read: public and delegates' papers by audience,
// a confidential paper as a copy private to each named reader. Staff also see every uploaded
// file and the read receipts. One's own notes and highlights are events private to their
// author, so they are here only on her devices.

import { defineArea } from "../core/replica.js";

const version = (d) => ({ sha256: d.sha256, size: d.size, pages: d.pages });

function paper(d, staff) {
  return {
    paper_id: d.paper_id,
    item_id: d.item_id,
    kind: d.kind,
    access: d.access,
    title: d.title,
    sha256: d.sha256,
    size: d.size,
    pages: d.pages,
    versions: (d.versions ?? [version(d)]).map(version),
    attached_at: d.attached_at,
    replaced_at: d.replaced_at ?? null,
    readers: staff ? [...(d.readers ?? [])].sort() : null,
  };
}

const note = (d, at) => ({
  annotation_id: d.annotation_id,
  paper_id: d.paper_id,
  sha256: d.sha256,
  page: d.page,
  x: d.x,
  y: d.y,
  text: d.text,
  at,
  rects: (d.rects ?? []).map((r) => [...r]),
});

const receiptKey = (sha, user) => `${sha} ${user}`;

function withPaper(state, paperId, fn) {
  const found = state.papers.byId.get(paperId);
  if (!found) throw new Error(`event about an unknown paper ${paperId}`);
  fn(found);
}

/** The widest audience that may read the paper, as `paper_audience` on the server. */
function paperAudience(state, p) {
  const item = state.items.get(p.item_id);
  if (p.access === "confidential" || !item) return "staff";
  if (p.access === "delegates" || item.access !== "public") return "delegates";
  return "public";
}

const WIDTH = { public: 0, delegates: 1, staff: 2 };

/** May this device still show the paper (an item removed or made private hides it)? */
function stillReadable(state, p) {
  const audience = state.papers.audience;
  const needed = paperAudience(state, p);
  if (WIDTH[audience] >= WIDTH[needed]) return true;
  // A named reader of a confidential paper: she received it, so she may read it while its
  // item is on the agenda.
  return p.access === "confidential" && state.items.has(p.item_id);
}

defineArea({
  name: "papers",

  fromSnapshot(state, s) {
    const v = s.papers;
    const staff = v.audience === "staff";
    state.papers = {
      audience: v.audience,
      byId: new Map(v.papers.map((p) => [p.paper_id, paper(p, staff)])),
      presenter: v.presenter ? { ...v.presenter } : null,
      notes: new Map(v.annotations.map((n) => [n.annotation_id, note(n, n.at)])),
      files: new Map(v.files.map((f) => [f.sha256, { ...f }])),
      receipts: new Map(v.receipts.map((r) => [receiptKey(r.sha256, r.user_id), { ...r }])),
    };
  },

  toSnapshot(state) {
    const p = state.papers;
    const shown = [...p.byId.values()].filter((x) => stillReadable(state, x));
    const visible = new Set(shown.map((x) => x.paper_id));
    const receipts = [...p.receipts.values()].sort((a, b) =>
      a.sha256 === b.sha256 ? (a.user_id < b.user_id ? -1 : 1) : a.sha256 < b.sha256 ? -1 : 1,
    );
    return {
      papers: {
        audience: p.audience,
        papers: shown.map((x) => ({
          ...x,
          versions: x.versions.map((v) => ({ ...v })),
          readers: x.readers ? [...x.readers] : null,
        })),
        presenter: p.presenter && visible.has(p.presenter.paper_id) ? { ...p.presenter } : null,
        annotations: [...p.notes.values()].map((n) => ({ ...n, rects: n.rects.map((r) => [...r]) })),
        files: [...p.files.values()].map((f) => ({ ...f })),
        receipts: receipts.map((r) => ({ ...r })),
      },
    };
  },

  events: {
    "paper.uploaded"(state, e) {
      const d = e.data;
      state.papers.files.set(d.sha256, {
        sha256: d.sha256,
        size: d.size,
        pages: d.pages,
        title: d.title,
        filename: d.filename,
        uploaded_at: e.at,
      });
    },
    "paper.attached"(state, e) {
      const p = paper({ ...e.data, attached_at: e.at }, state.papers.audience === "staff");
      state.papers.byId.set(p.paper_id, p);
    },
    "paper.replaced"(state, e) {
      const d = e.data;
      withPaper(state, d.paper_id, (p) => {
        p.versions.push(version(d));
        p.sha256 = d.sha256;
        p.size = d.size;
        p.pages = d.pages;
        p.title = d.title;
        p.replaced_at = e.at;
        const shown = state.papers.presenter;
        if (shown && shown.paper_id === p.paper_id) {
          state.papers.presenter = { ...shown, sha256: d.sha256, page: Math.min(shown.page, d.pages) };
        }
      });
    },
    "paper.detached"(state, e) {
      state.papers.byId.delete(e.data.paper_id);
    },
    "paper.opened"(state, e) {
      const d = e.data;
      const key = receiptKey(d.sha256, d.user_id);
      state.papers.receipts.set(key, { sha256: d.sha256, user_id: d.user_id, at: e.at });
    },
    "paper.annotated"(state, e) {
      state.papers.notes.set(e.data.annotation_id, note(e.data, e.at));
    },
    "paper.annotation_deleted"(state, e) {
      state.papers.notes.delete(e.data.annotation_id);
    },
    "presenter.shown"(state, e) {
      const d = e.data;
      state.papers.presenter = { paper_id: d.paper_id, sha256: d.sha256, page: d.page, at: e.at };
    },
    "presenter.stopped"(state, e) {
      const shown = state.papers.presenter;
      if (shown && shown.paper_id === e.data.paper_id) state.papers.presenter = null;
    },
  },
});

// -- selectors ------------------------------------------------------------------------------

/** The papers of an agenda item this device may read, in the order they were attached. */
export function papersOfItem(state, itemId) {
  return [...state.papers.byId.values()].filter((p) => p.item_id === itemId && stillReadable(state, p));
}

export function paperById(state, paperId) {
  const p = state.papers.byId.get(paperId);
  return p && stillReadable(state, p) ? p : null;
}

/** The page the chair is showing, if this device may read its paper. */
export function presenterPage(state) {
  const shown = state.papers.presenter;
  return shown && paperById(state, shown.paper_id) ? shown : null;
}

/** One's own notes and highlights on one version of a paper, by page. */
export function notesOn(state, sha256) {
  return [...state.papers.notes.values()].filter((n) => n.sha256 === sha256);
}

/** Who has opened a version of a paper (staff only): user id → time. */
export function readersOf(state, sha256) {
  const out = new Map();
  for (const r of state.papers.receipts.values()) if (r.sha256 === sha256) out.set(r.user_id, r.at);
  return out;
}

/** Every uploaded file (staff only), newest last. */
export function uploadedFiles(state) {
  return [...state.papers.files.values()];
}
