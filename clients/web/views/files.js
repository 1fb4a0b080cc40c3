// Files the server makes for the signed-in user (a paper, the minutes as PDF or HTML, the
// sealed bundle), fetched with the bearer token in the Authorization header and handed to the
// browser as a blob: saved under the server's file name, or opened in a new tab. The token
// never goes into a URL (URLs end up in histories, logs and Referer headers).

import { HttpError } from "../core/http.js";
import { errorText, h, toast } from "../core/ui.js";

/** How long a blob URL lives once handed to the browser (a download or a tab needs it). */
const BLOB_LIFETIME_MS = 120_000;

function nameFrom(disposition, fallback) {
  const found = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? "");
  return found ? decodeURIComponent(found[1]) : fallback;
}

/** `{blob, name, headers}` of `path`, or an HttpError (status 0: no answer). */
export async function fetchFile(ctx, path, fallbackName = "tai-lieu") {
  const headers = {};
  const token = ctx.session?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { headers, cache: "no-store" });
  } catch (err) {
    throw new HttpError(0, "network", String(err.message || err));
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not JSON: the status alone
    }
    const code = body?.code ?? (response.status >= 500 ? "unavailable" : "bad_message");
    throw new HttpError(response.status, code, body?.message ?? response.statusText, body);
  }
  const blob = await response.blob();
  return { blob, name: nameFrom(response.headers.get("content-disposition"), fallbackName), headers: response.headers };
}

function blobUrl(blob) {
  const url = URL.createObjectURL(blob);
  setTimeout(() => URL.revokeObjectURL(url), BLOB_LIFETIME_MS);
  return url;
}

/** Save a blob as a download named `name`. */
export function saveBlob(blob, name) {
  const a = h("a", { href: blobUrl(blob), download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

/** Fetch `path` and save it; a refusal becomes a toast. Resolves true once saved. */
export async function download(ctx, path, fallbackName) {
  try {
    const { blob, name } = await fetchFile(ctx, path, fallbackName);
    saveBlob(blob, name);
    return true;
  } catch (err) {
    toast(errorText(err), "error");
    return false;
  }
}

/**
 * Fetch `path` and show it in a new tab. The tab is opened at once, in the tap itself (a
 * popup blocker allows that), and sent to the blob when it has arrived.
 */
export async function openInTab(ctx, path, fallbackName) {
  const tab = window.open("", "_blank");
  try {
    const { blob, name } = await fetchFile(ctx, path, fallbackName);
    if (tab) tab.location.href = blobUrl(blob);
    else saveBlob(blob, name); // popups refused: a download instead
  } catch (err) {
    tab?.close();
    toast(errorText(err), "error");
  }
}
