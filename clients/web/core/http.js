// JSON over HTTP to the server that served the app, with the protocol's refusals as errors.

/** A refusal (`{code, message}` with a 4xx/5xx status) or, with status 0, no answer at all. */
export class HttpError extends Error {
  constructor(status, code, message, body = null) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export async function api(path, { method = "GET", token = null, body, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: "no-store",
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new HttpError(0, "network", String(err.message || err));
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    // not JSON (a proxy's error page): the status alone tells what happened
  }
  if (!response.ok) {
    const code = data?.code ?? (response.status >= 500 ? "unavailable" : "bad_message");
    throw new HttpError(response.status, code, data?.message ?? response.statusText, data);
  }
  return data;
}
