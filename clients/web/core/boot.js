// How every app starts: service worker, header, sign-in, choice of meeting, the replica
// (restored from the last visit so that an offline reload still shows the sitting), the
// connection, and re-rendering on every change or language switch.
//
// An app is `startApp({app, role, signIn, mount})` where `mount(ctx)` builds its page in
// `ctx.main` and returns `render()`; `ctx` is also `window.meetingApp`, for the browser
// console and the tests. `ctx.clock` is the server's clock (from `welcome.now` and the
// events' `at`); countdowns on the page tick from it (views/timer.js).

import "../areas/agenda.js";
import "../areas/devices.js";
import "../areas/floor.js";
import "../areas/papers.js";
import "../areas/record.js";
import "../areas/votes.js";
import { startTicker } from "../views/timer.js";
import { ServerClock } from "./clock.js";
import { MeetingConnection, STATUS } from "./connection.js";
import { onLanguageChange, setLanguage, t, translate } from "./i18n.js";
import { pairingSignIn } from "./pairing-signin.js";
import { Replica } from "./replica.js";
import {
  chooseMeeting,
  listMeetings,
  loadSession,
  loadView,
  rememberMeeting,
  rememberedMeeting,
  saveSession,
  saveView,
  signIn,
  signOut,
} from "./session.js";
import { confirmDialog, connectionIndicator, fill, h, languageSwitch, runCommand, toast } from "./ui.js";

const SAVE_VIEW_DELAY = 500;
const MEETINGS_RETRY = 3000;

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return; // plain HTTP off localhost: no offline shell
  const script = new URL("../sw.js", import.meta.url);
  const scope = new URL("../", import.meta.url);
  navigator.serviceWorker.register(script, { scope: scope.pathname }).catch((err) => {
    console.warn("service worker not registered:", err);
  });
}

/**
 * app:     "delegate" | "chair" | "clerk" | "display" | "public" (storage keys, CSS)
 * role:    the meeting role the app is for (to pick a meeting and warn), or null
 * signIn:  "required", "optional" (only with ?signin in the URL) or "never"
 * mount:   (ctx) => render
 *
 * The URL may say ?m=MEETING (which meeting), ?lang=vi|en, ?signin / ?signout (for the
 * display), and, for diagnostics, ?transport=ws|http and ?wait=SECONDS (long-poll wait).
 */
export async function startApp({ app, role = null, signIn: signInMode = "required", mount }) {
  registerServiceWorker();
  const params = new URLSearchParams(window.location.search);
  if (params.has("lang")) setLanguage(params.get("lang")); // a screen with no input: ?lang=en
  translate(document);
  const main = document.getElementById("main");
  const bar = document.getElementById("bar");

  // A QR code from the clerk's desk (?pair=CODE) pairs this tablet anew: the old sign-in goes.
  if (params.has("signout") || (app === "delegate" && params.has("pair"))) await signOut(app);
  let session = signInMode === "never" ? null : loadSession(app);
  const wantsSignIn = signInMode === "required" || (signInMode === "optional" && params.has("signin"));
  if (!session && wantsSignIn) {
    if (bar) fill(bar, header({ app }));
    session =
      app === "delegate" ? await pairingSignIn(main, app, params.get("pair"), () => signInForm(main, app)) : await signInForm(main, app);
  }
  const token = session?.token ?? null;

  const meeting = await pickMeeting(main, app, token, params.get("m"), role);
  rememberMeeting(app, { id: meeting.id, roles: meeting.roles ?? [] });

  const replica = new Replica(meeting.id);
  const userId = session?.user?.id ?? null;
  const cached = loadView(app, meeting.id, userId);
  try {
    if (cached?.meeting_id === meeting.id) replica.load(cached, cached.seq);
  } catch {
    replica.state = null; // a view kept by an older version of the app: start afresh
  }

  const clock = new ServerClock();
  startTicker(clock);
  const conn = new MeetingConnection(replica, {
    token,
    clock,
    transport: params.get("transport") ?? "auto",
    pollWait: Number(params.get("wait")) || undefined,
  });
  const ctx = { app, main, replica, conn, clock, session, meetingId: meeting.id, roles: meeting.roles ?? [] };
  window.meetingApp = ctx;
  /** Actions awaiting their answer, by key: their buttons stay disabled (no double tap). */
  ctx.busy = new Set();
  ctx.act = async (key, name, args, options = {}) => {
    if (ctx.busy.has(key)) return null;
    ctx.busy.add(key);
    update();
    try {
      return await runCommand(conn, name, args, options);
    } finally {
      ctx.busy.delete(key);
      update();
    }
  };

  if (bar) fill(bar, header({ app, ctx }));
  fill(main);
  const render = mount(ctx);
  const loading = h("p", { class: "notice", text: t("meeting.loading") });
  if (!replica.loaded) main.prepend(loading); // until the first snapshot
  let queued = false;
  function update() {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      if (!replica.loaded) return;
      loading.remove();
      render();
    });
  }
  ctx.refresh = update;

  let saveTimer = null;
  replica.subscribe(() => {
    update();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => saveView(app, meeting.id, userId, replica.view()), SAVE_VIEW_DELAY);
  });
  onLanguageChange(update);
  conn.addEventListener("welcome", (e) => {
    ctx.roles = e.detail?.roles ?? ctx.roles;
    rememberMeeting(app, { id: meeting.id, roles: ctx.roles });
    update();
  });
  conn.addEventListener("status", update);
  conn.addEventListener("fatal", (e) => {
    if (e.detail === STATUS.SIGNED_OUT && session) {
      saveSession(app, null);
      toast(t("conn.signed_out"), "error");
      setTimeout(() => window.location.reload(), 1500);
    } else if (e.detail === STATUS.GONE) {
      rememberMeeting(app, null);
      fill(main, h("p", { class: "notice notice-error", text: t("meeting.gone") }));
    }
  });
  conn.addEventListener("protocol-error", (e) => console.warn("protocol error", e.detail));
  update();
  conn.start();
  return ctx;
}

// -- the header -----------------------------------------------------------------------------

function header({ app, ctx = null }) {
  const title = h("div", { class: "bar-title" });
  const renderTitle = () => {
    const state = ctx?.replica.state;
    fill(
      title,
      h("a", { class: "bar-app", href: "../", title: t("app.home") }, t(`app.${app}`)),
      state ? h("span", { class: "bar-meeting" }, state.body.name, " · ", state.title) : null,
    );
  };
  renderTitle();
  onLanguageChange(renderTitle);
  if (ctx) ctx.replica.subscribe(renderTitle);
  const session = ctx?.session;
  const user = session
    ? h(
        "div",
        { class: "bar-user" },
        h("span", { class: "bar-user-name", text: session.user.name }),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-quiet",
            "data-i18n": "signin.out",
            onclick: async () => {
              // Notes not yet sent would be lost: say so before they are.
              const waiting = ctx?.outbox?.pending.length ?? 0;
              if (waiting && !(await confirmDialog(t("signin.out_unsent", { n: waiting }), { yes: t("signin.out"), danger: true }))) return;
              await signOut(app);
              window.location.reload();
            },
          },
          t("signin.out"),
        ),
      )
    : null;
  return [title, h("div", { class: "bar-tools" }, ctx ? connectionIndicator(ctx.conn) : null, languageSwitch(), user)];
}

// -- sign-in --------------------------------------------------------------------------------

function signInForm(main, app) {
  return new Promise((resolve) => {
    const error = h("p", { class: "form-error", role: "alert" });
    const username = h("input", {
      id: "signin-username",
      name: "username",
      autocomplete: "username",
      autocapitalize: "none",
      spellcheck: "false",
      required: true,
    });
    const password = h("input", {
      id: "signin-password",
      name: "password",
      type: "password",
      autocomplete: "current-password",
      required: true,
    });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-wide", "data-i18n": "signin.submit" }, t("signin.submit"));
    const form = h(
      "form",
      { class: "card signin", novalidate: true },
      h("h1", { "data-i18n": "signin.title" }, t("signin.title")),
      h("label", { for: "signin-username", "data-i18n": "signin.username" }, t("signin.username")),
      username,
      h("label", { for: "signin-password", "data-i18n": "signin.password" }, t("signin.password")),
      password,
      error,
      submit,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!username.value.trim() || !password.value) return;
      submit.disabled = true;
      submit.textContent = t("signin.busy");
      error.textContent = "";
      try {
        const result = await signIn(username.value.trim(), password.value);
        const session = { token: result.token, user: result.user };
        saveSession(app, session);
        resolve(session);
      } catch (err) {
        error.textContent = err.status === 401 ? t("signin.failed") : t("signin.unreachable");
        submit.disabled = false;
        submit.textContent = t("signin.submit");
        password.select();
      }
    });
    onLanguageChange(() => translate(form));
    fill(main, form);
    username.focus();
  });
}

// -- which meeting --------------------------------------------------------------------------

async function pickMeeting(main, app, token, wanted, role) {
  const remembered = rememberedMeeting(app);
  // Offline reload: go on with the meeting this device showed last, without asking.
  if (navigator.onLine === false && remembered && (!wanted || wanted === remembered.id)) return remembered;
  for (;;) {
    let meetings;
    try {
      meetings = await listMeetings(token);
    } catch (err) {
      if (err.status === 0 && remembered && (!wanted || wanted === remembered.id)) return remembered;
      if (err.status === 0 && wanted) return { id: wanted, roles: [] };
      fill(main, h("p", { class: "notice", text: t("meeting.unreachable") }));
      await new Promise((r) => setTimeout(r, MEETINGS_RETRY));
      continue;
    }
    const id = chooseMeeting(meetings, { wanted, remembered: remembered?.id, role });
    if (id) return meetings.find((m) => m.id === id);
    if (!meetings.length) {
      fill(main, h("p", { class: "notice", text: t("meeting.none") }));
      await new Promise((r) => setTimeout(r, MEETINGS_RETRY * 5));
      continue;
    }
    return await meetingPicker(main, meetings);
  }
}

function meetingPicker(main, meetings) {
  return new Promise((resolve) => {
    const list = h(
      "ul",
      { class: "picker" },
      meetings.map((m) =>
        h(
          "li",
          {},
          h(
            "button",
            { type: "button", class: "btn btn-wide picker-btn", onclick: () => resolve(m) },
            h("strong", {}, m.title),
            h("span", {}, m.body.name, m.scheduled_for ? ` · ${m.scheduled_for}` : ""),
          ),
        ),
      ),
    );
    fill(main, h("section", { class: "card" }, h("h1", {}, t("meeting.choose")), list));
  });
}
