// Who uses this device and which meeting: sign-in, the remembered token, the meeting list,
// and the last known state of the meeting (so that a reload without network still shows it).
//
// Each app keeps its own sign-in (a desk may show the clerk desk and the hall display with
// different accounts). Everything is in localStorage; none of it is secret beyond the token,
// which the server can revoke (`POST /api/auth/logout`) and which expires on its own.

import { api } from "./http.js";
import { forgetPapers } from "./papers-cache.js";

function read(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the app still works, it just forgets on reload
  }
}

export function loadSession(app) {
  const s = read(`meeting.session.${app}`);
  return s && typeof s.token === "string" ? s : null;
}

export function saveSession(app, session) {
  write(`meeting.session.${app}`, session);
}

/** `{token, user: {id, name, is_admin}}`; throws HttpError (401 `unauthorized`, 0 `network`). */
export async function signIn(username, password) {
  return api("/api/auth/login", { method: "POST", body: { username, password } });
}

/** A tablet signs in with a pairing code and the delegate's PIN: `{token, user, meeting_id,
 * device}`; throws HttpError (401 `pairing_invalid`, 429 `too_many_attempts`, 0 `network`). */
export async function pairTablet(code, pin, deviceName) {
  return api("/api/auth/pair", { method: "POST", body: { code, pin, device_name: deviceName } });
}

export async function signOut(app) {
  const session = loadSession(app);
  saveSession(app, null);
  forgetViews(app);
  await forgetPapers(); // a confidential paper carries its reader's name
  if (session) {
    try {
      await api("/api/auth/logout", { method: "POST", token: session.token });
    } catch {
      // the token expires on its own
    }
  }
}

/** `[{id, title, body, status, scheduled_for, seq, roles}]` as this user sees them. */
export async function listMeetings(token) {
  return (await api("/api/meetings", { token })).meetings;
}

/** `{id, roles}` of the meeting this app showed last, or null. */
export function rememberedMeeting(app) {
  const m = read(`meeting.chosen.${app}`);
  return m && typeof m.id === "string" ? m : null;
}

export function rememberMeeting(app, meeting) {
  write(`meeting.chosen.${app}`, meeting);
}

/**
 * The meeting to show: the one asked for in the URL, else the remembered one, else the only
 * one where this user has `role` (or the only one at all). Null when the user must choose.
 */
export function chooseMeeting(meetings, { wanted = null, remembered = null, role = null } = {}) {
  const ids = new Set(meetings.map((m) => m.id));
  if (wanted && ids.has(wanted)) return wanted;
  if (remembered && ids.has(remembered)) return remembered;
  const mine = role ? meetings.filter((m) => m.roles.includes(role)) : [];
  if (mine.length === 1) return mine[0].id;
  if (meetings.length === 1) return meetings[0].id;
  return null;
}

function viewKey(app, meetingId, userId) {
  return `meeting.view.${app}.${meetingId}.${userId ?? "public"}`;
}

/** The last state this device saw, `{seq, view}`, to show at once and resume from. */
export function loadView(app, meetingId, userId) {
  return read(viewKey(app, meetingId, userId));
}

export function saveView(app, meetingId, userId, view) {
  write(viewKey(app, meetingId, userId), view);
}

/** Forget what this app showed: a signed-out tablet keeps no closed-session agenda. */
export function forgetViews(app) {
  try {
    // The last views, and the commands still waiting in the outbox (private notes, whose
    // text must not stay on a tablet the next person uses: sign-out asks first).
    const prefixes = [`meeting.view.${app}.`, `meeting.outbox.${app}.`];
    for (const key of Object.keys(localStorage)) {
      if (prefixes.some((p) => key.startsWith(p))) localStorage.removeItem(key);
    }
  } catch {
    // storage disabled: nothing was kept
  }
}
