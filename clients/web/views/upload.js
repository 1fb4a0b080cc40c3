// Uploading papers (PDFs): a queue of files, each sent as the raw body of
// `POST /api/meetings/{id}/papers?filename=…` with its own progress bar, a few at a time.
//
// One XMLHttpRequest per file, because fetch cannot report an upload's progress; the bearer
// token goes in the Authorization header, as with every other request, never in the URL.
// Once the bytes are sent the server still reads the PDF (pages, text, limits) before it
// answers, so a file is "sending" (with a percentage), then "checking", then "done" with the
// server's answer or "failed" with its stable code (`not_pdf`, `pdf_too_large`, …, or
// `network` when no answer came), which the views translate. A failed file can be retried.

import { has, t } from "../core/i18n.js";
import { fill, h } from "../core/ui.js";

/** Files sent at the same time; the others wait their turn. */
const PARALLEL = 3;

/** `done` with the server's answer or `failed` with a code: the end of an upload. */
const FINAL = new Set(["done", "failed"]);

/**
 * Send one file; resolves `{status, body}` (status 0: no answer). `onProgress(sent, total)`
 * follows the bytes sent.
 */
export function sendFile(url, file, token, onProgress = () => {}) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Content-Type", "application/pdf");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON (a proxy's error page): the status alone tells what happened
      }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener("error", () => resolve({ status: 0, body: null }));
    xhr.addEventListener("abort", () => resolve({ status: 0, body: { code: "aborted" } }));
    xhr.send(file);
  });
}

let counter = 0;

/**
 * The files being uploaded to one meeting. Listeners of "change" get `detail` = the entry
 * that changed. An entry is `{id, file, name, size, state, sent, total, result, code,
 * message}` with `state` one of waiting, sending, checking, done, failed.
 */
export class UploadQueue extends EventTarget {
  constructor(meetingId, token) {
    super();
    this.url = `/api/meetings/${encodeURIComponent(meetingId)}/papers`;
    this.token = token;
    this.entries = [];
  }

  /** Queue files (a FileList or an array); returns their entries. */
  add(files) {
    const added = [...files].map((file) => ({
      id: `u${(counter += 1)}`,
      file,
      name: file.name,
      size: file.size,
      state: "waiting",
      sent: 0,
      total: file.size,
      result: null,
      code: null,
      message: "",
    }));
    this.entries.push(...added);
    for (const entry of added) this._changed(entry);
    this._next();
    return added;
  }

  retry(entry) {
    if (entry.state !== "failed") return;
    Object.assign(entry, { state: "waiting", sent: 0, code: null, message: "" });
    this._changed(entry);
    this._next();
  }

  /** Take a finished entry off the list (an upload in flight goes on). */
  remove(entry) {
    if (!FINAL.has(entry.state)) return;
    this.entries = this.entries.filter((e) => e !== entry);
    this.dispatchEvent(new CustomEvent("remove", { detail: entry }));
  }

  get busy() {
    return this.entries.some((e) => !FINAL.has(e.state));
  }

  _next() {
    const running = this.entries.filter((e) => e.state === "sending" || e.state === "checking").length;
    const waiting = this.entries.filter((e) => e.state === "waiting");
    for (const entry of waiting.slice(0, Math.max(0, PARALLEL - running))) this._send(entry);
  }

  async _send(entry) {
    entry.state = "sending";
    this._changed(entry);
    const url = `${this.url}?filename=${encodeURIComponent(entry.name)}`;
    const { status, body } = await sendFile(url, entry.file, this.token, (sent, total) => {
      entry.sent = sent;
      entry.total = total || entry.size;
      // All bytes are out: the server now reads the PDF before it answers.
      entry.state = sent >= entry.total ? "checking" : "sending";
      this._changed(entry);
    });
    if (status >= 200 && status < 300 && body?.sha256) {
      Object.assign(entry, { state: "done", sent: entry.total, result: body });
    } else {
      const code = body?.code ?? (status === 0 ? "network" : status >= 500 ? "unavailable" : "bad_message");
      Object.assign(entry, { state: "failed", code, message: body?.message ?? "" });
    }
    this._changed(entry);
    this._next();
  }

  _changed(entry) {
    this.dispatchEvent(new CustomEvent("change", { detail: entry }));
  }
}

// -- views -----------------------------------------------------------------------------------

/** "1,2 MB", "830 kB": sizes as people read them, in the language's digits. */
export function formatSize(bytes, locale) {
  const units = ["B", "kB", "MB", "GB"];
  let n = bytes;
  let unit = 0;
  while (n >= 1000 && unit < units.length - 1) {
    n /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || n >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n)} ${units[unit]}`;
}

/** The words of an upload's refusal, with the server's stable code. */
export function uploadError(entry) {
  const key = `upload.error.${entry.code}`;
  return has(key) ? t(key) : t("upload.error.other", { code: entry.code });
}

/**
 * One file's row: its name and size, a progress bar, what happens now, and its actions
 * (retry and remove after a failure; `actions(entry)` adds the app's own once done).
 * Returns `{el, update()}`: the row is updated in place as the upload goes on.
 */
export function uploadRow(queue, entry, { locale, actions = () => null } = {}) {
  const bar = h("progress", { class: "upload-bar", max: "100", value: "0" });
  const status = h("p", { class: "upload-status", "data-testid": "upload-status", "aria-live": "polite" });
  const buttons = h("div", { class: "row-actions upload-actions" });
  const el = h(
    "li",
    { class: "row upload", "data-upload": entry.id },
    h("span", { class: "upload-icon", "aria-hidden": "true" }, "PDF"),
    h("div", { class: "row-body" }, h("p", { class: "row-title upload-name" }, entry.name), h("p", { class: "row-detail" }, formatSize(entry.size, locale)), bar, status),
    buttons,
  );
  let shownState = null;
  const update = () => {
    el.dataset.state = entry.state;
    const percent = entry.total ? Math.min(100, Math.round((entry.sent * 100) / entry.total)) : 0;
    bar.value = entry.state === "done" ? 100 : entry.state === "failed" ? 0 : percent;
    bar.hidden = entry.state === "failed";
    bar.setAttribute("aria-label", t("upload.progress_label", { name: entry.name }));
    if (entry.state === "waiting") status.textContent = t("upload.waiting");
    else if (entry.state === "sending") status.textContent = t("upload.sending", { percent });
    else if (entry.state === "checking") status.textContent = t("upload.checking");
    else if (entry.state === "done") {
      const r = entry.result;
      status.textContent = t("upload.done", { pages: r.pages, size: formatSize(r.size, locale) });
    } else status.textContent = uploadError(entry);
    status.classList.toggle("upload-failed", entry.state === "failed");
    status.classList.toggle("upload-done", entry.state === "done");
    if (shownState === entry.state && entry.state !== "done") return;
    shownState = entry.state;
    fill(
      buttons,
      entry.state === "failed"
        ? [
            h("button", { type: "button", class: "btn", "data-action": "retry", onclick: () => queue.retry(entry) }, "↻ ", t("upload.retry")),
            h("button", { type: "button", class: "btn", "data-action": "dismiss", onclick: () => queue.remove(entry) }, t("upload.dismiss")),
          ]
        : null,
      entry.state === "done" ? actions(entry) : null,
    );
  };
  update();
  return { el, update };
}
