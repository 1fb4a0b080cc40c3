// Small DOM helpers shared by the apps: element building, toasts, the connection indicator,
// the language switch, a confirmation dialog, and running a command from a button.
// No framework: views rebuild their own part of the page from the replica's state.

import { LANGUAGES, has, language, locale, onLanguageChange, setLanguage, t } from "./i18n.js";

/** `h("button", {class: "big", onclick: fn, disabled: true}, "text", child, [more])`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      el.className = value;
    } else if (name === "text") {
      el.textContent = value;
    } else if (name in el && typeof value !== "string") {
      el[name] = value; // properties such as `checked` or `value`
    } else {
      el.setAttribute(name, value === true ? "" : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(date);
}

// -- messages -------------------------------------------------------------------------------

/** A person-readable reason for a refused or failed command (CommandError or HttpError). */
export function errorText(err) {
  const code = err?.code;
  const reason = code && has(`error.${code}`) ? t(`error.${code}`) : t("error.unknown");
  // The server's own message is English and precise: show it as the detail.
  const detail = err?.message && code !== "timeout" && code !== "network" ? ` (${err.message})` : "";
  return t("error.failed", { reason: reason + detail });
}

export function toast(message, kind = "info", timeout = kind === "error" ? 10_000 : 4_000) {
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = h(
    "div",
    { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" },
    h("span", { text: message }),
    h("button", { class: "toast-close", "aria-label": t("toast.close"), onclick: () => item.remove() }, "×"),
  );
  box.append(item);
  setTimeout(() => item.remove(), timeout);
}

/**
 * Run a command for a button: the button shows it is busy, a refusal becomes a toast.
 * Resolves with the ack, or null when the command was refused or got no answer.
 */
export async function runCommand(conn, name, args, { button = null, done = null } = {}) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  try {
    const ack = await conn.command(name, args);
    if (done) toast(done, "ok");
    return ack;
  } catch (err) {
    toast(errorText(err), "error");
    return null;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

// -- widgets --------------------------------------------------------------------------------

/** A pill that says how the device is connected; it follows the connection's status. */
export function connectionIndicator(conn) {
  const label = h("span", { class: "conn-label" });
  const el = h("div", { class: "conn", role: "status", "aria-live": "polite" }, h("span", { class: "conn-dot", "aria-hidden": "true" }), label);
  const show = () => {
    el.dataset.status = conn.status;
    label.textContent = t(`conn.${conn.status}`);
  };
  conn.addEventListener("status", show);
  onLanguageChange(show);
  show();
  return el;
}

/** Two buttons, VI and EN; the choice is remembered on the device. */
export function languageSwitch() {
  const el = h("div", { class: "lang", role: "group" });
  const render = () => {
    el.setAttribute("aria-label", t("lang.label"));
    fill(
      el,
      LANGUAGES.map((lang) =>
        h(
          "button",
          {
            type: "button",
            class: "lang-btn",
            lang,
            "aria-pressed": String(lang === language()),
            title: t(`lang.${lang}`),
            onclick: () => setLanguage(lang),
          },
          lang.toUpperCase(),
        ),
      ),
    );
  };
  onLanguageChange(render);
  render();
  return el;
}

/** Ask a yes/no question in a modal dialog; resolves true for yes. */
export function confirmDialog(message, { yes = t("confirm.yes"), danger = false } = {}) {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "dialog" },
      h(
        "form",
        { method: "dialog" },
        h("p", { class: "dialog-text", text: message }),
        h(
          "div",
          { class: "actions" },
          h("button", { value: "no", class: "btn", type: "submit" }, t("confirm.no")),
          h("button", { value: "yes", class: danger ? "btn btn-danger" : "btn btn-primary", type: "submit" }, yes),
        ),
      ),
    );
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "yes");
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Tabs: `entries` are `{id, label: () => text, panels}`; only the chosen tab's panels are
 * shown (and rendered). The choice is kept per app on the device. Returns `{el, render}`:
 * the tab bar and the panels, and a render that draws the chosen tab's panels.
 */
export function tabs(app, entries) {
  const key = `meeting.tab.${app}`;
  let chosen = entries[0].id;
  try {
    const kept = localStorage.getItem(key);
    if (entries.some((e) => e.id === kept)) chosen = kept;
  } catch {
    // storage disabled: the first tab
  }
  const bar = h("div", { class: "tabs", role: "tablist" });
  const boxes = new Map(entries.map((e) => [e.id, h("div", { class: "tab-panel", role: "tabpanel", id: `tab-${e.id}` }, e.panels.map((p) => p.el))]));
  let lastState = null;
  let lastCtx = null;
  const drawBar = () => {
    fill(
      bar,
      entries.map((e) =>
        h(
          "button",
          {
            type: "button",
            role: "tab",
            class: "tab",
            id: `tab-btn-${e.id}`,
            "data-tab": e.id,
            "aria-selected": String(e.id === chosen),
            "aria-controls": `tab-${e.id}`,
            onclick: () => {
              chosen = e.id;
              try {
                localStorage.setItem(key, chosen);
              } catch {
                // not remembered
              }
              render(lastState, lastCtx);
            },
          },
          e.label(lastState),
        ),
      ),
    );
  };
  function render(state, ctx) {
    lastState = state;
    lastCtx = ctx;
    drawBar();
    for (const e of entries) {
      const box = boxes.get(e.id);
      box.hidden = e.id !== chosen;
      if (e.id === chosen && state) for (const p of e.panels) p.render(state, ctx);
    }
  }
  return { el: h("div", { class: "tabbed" }, bar, [...boxes.values()]), render };
}
