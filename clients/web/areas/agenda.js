// The sitting and its agenda, folded on the device: the client's half of
// meeting/domain/agenda.py (the `@on(...)` handlers) and of the snapshot in
// meeting/domain/views.py. A browser test folds the events of random sittings here and checks
// the result against the server's own snapshot, for every audience.
//
// The state keeps the snapshot's field names (snake_case) so that `view()` is a plain copy.
// Selectors for the views (current item, next item, numbering) are at the end.

import { defineArea } from "../core/replica.js";

function item(data) {
  return {
    item_id: data.item_id,
    title: data.title,
    description: data.description,
    access: data.access,
    urgent: data.urgent,
    status: data.status ?? "pending",
    opened_at: data.opened_at ?? null,
    closed_at: data.closed_at ?? null,
  };
}

function member(data) {
  return { user_id: data.user_id, name: data.name, roles: [...data.roles].sort(), seat: data.seat ?? null };
}

function withItem(state, itemId, fn) {
  const found = state.items.get(itemId);
  // The server never sends an event about an item this audience has not been shown; if it
  // ever did, skipping it keeps the screen alive and the next snapshot puts things right.
  if (found) fn(found);
  else console.warn(`event about an unknown item ${itemId}`);
}

defineArea({
  name: "agenda",

  fromSnapshot(state, s) {
    state.created = true;
    state.body = { ...s.body };
    state.title = s.title;
    state.place = s.place;
    state.scheduled_for = s.scheduled_for;
    state.status = s.status;
    state.opened_at = s.opened_at;
    state.closed_at = s.closed_at;
    state.members = new Map(s.members.map((m) => [m.user_id, member(m)]));
    state.items = new Map(s.items.map((i) => [i.item_id, item(i)]));
    state.order = s.items.map((i) => i.item_id);
    state.current_item = s.current_item;
    // True while a closed-session item is current; the public knows no more of it than this
    // flag, which `agenda.closed_session` keeps up to date for every audience.
    state.closed_session = s.closed_session;
  },

  toSnapshot(state) {
    return {
      body: { ...state.body },
      title: state.title,
      place: state.place,
      scheduled_for: state.scheduled_for,
      status: state.status,
      opened_at: state.opened_at,
      closed_at: state.closed_at,
      members: [...state.members.values()]
        .sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0))
        .map((m) => ({ ...m, roles: [...m.roles] })),
      items: state.order.map((id) => ({ ...state.items.get(id) })),
      current_item: state.current_item,
      closed_session: state.closed_session,
    };
  },

  events: {
    "meeting.created"(state, e) {
      const d = e.data;
      state.body = { ...d.body };
      state.title = d.title;
      state.place = d.place;
      state.scheduled_for = d.scheduled_for;
      state.members = new Map(d.members.map((m) => [m.user_id, member(m)]));
    },
    "member.set"(state, e) {
      state.members.set(e.data.user_id, member(e.data));
    },
    "member.removed"(state, e) {
      state.members.delete(e.data.user_id);
    },
    "sitting.opened"(state, e) {
      state.status = "open";
      state.opened_at = e.at;
    },
    "sitting.closed"(state, e) {
      state.status = "closed";
      state.closed_at = e.at;
      state.closed_session = false; // closing the sitting closes the current item
    },
    "agenda.item_added"(state, e) {
      const added = item(e.data.item);
      state.items.set(added.item_id, added);
      state.order = [...e.data.order];
    },
    "agenda.item_edited"(state, e) {
      withItem(state, e.data.item_id, (it) => {
        if ("title" in e.data) it.title = e.data.title;
        if ("description" in e.data) it.description = e.data.description;
      });
    },
    "agenda.reordered"(state, e) {
      state.order = [...e.data.order];
    },
    "agenda.item_removed"(state, e) {
      state.items.delete(e.data.item_id);
      state.order = state.order.filter((id) => id !== e.data.item_id);
    },
    "agenda.item_opened"(state, e) {
      withItem(state, e.data.item_id, (it) => {
        it.status = "open";
        it.opened_at = it.opened_at ?? e.at;
        it.closed_at = null;
        state.current_item = it.item_id;
      });
    },
    "agenda.closed_session"(state, e) {
      state.closed_session = e.data.in_progress;
    },
    "agenda.item_closed"(state, e) {
      withItem(state, e.data.item_id, (it) => {
        it.status = "closed";
        it.closed_at = e.at;
        if (state.current_item === it.item_id) state.current_item = null;
      });
    },
  },
});

// -- selectors ------------------------------------------------------------------------------

/** The agenda in order, each item with its 1-based number as this audience sees it. */
export function agendaItems(state) {
  return state.order.map((id, i) => ({ ...state.items.get(id), number: i + 1 }));
}

export function currentItem(state) {
  if (state.current_item === null) return null;
  const index = state.order.indexOf(state.current_item);
  return index < 0 ? null : { ...state.items.get(state.current_item), number: index + 1 };
}

/** The item "next item" opens: the first pending one after the current (or the last done). */
export function nextItem(state) {
  const items = agendaItems(state);
  let from = items.findIndex((i) => i.item_id === state.current_item);
  if (from < 0) {
    from = -1;
    items.forEach((it, i) => {
      if (it.status !== "pending") from = i;
    });
  }
  return items.slice(from + 1).find((i) => i.status === "pending") ?? items.find((i) => i.status === "pending") ?? null;
}

export function memberName(state, userId) {
  return state.members.get(userId)?.name ?? userId;
}
