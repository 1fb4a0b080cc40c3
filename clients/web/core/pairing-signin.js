// The delegate tablet's sign-in: a pairing code from the clerk's desk and the delegate's
// PIN (the main way in a hall), with the username form one tap away.
//
// The QR code on the clerk's desk opens /app/delegate/?m=MEETING&pair=CODE: the code is
// filled in and only the PIN is asked. Once paired, the code leaves the address bar (a
// reload must not show a used code) and the paired meeting is the one the tablet shows.

import { onLanguageChange, t, translate } from "./i18n.js";
import { pairTablet, rememberMeeting, saveSession } from "./session.js";
import { fill, h } from "./ui.js";

/** `ABCDEFGH` → `ABCD-EFGH`, as the clerk's desk shows it; anything else as typed. */
function shown(code) {
  const bare = code.toUpperCase().replace(/[\s-]/g, "");
  return bare.length === 8 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : code.toUpperCase();
}

function forgetCodeInAddress(meetingId) {
  const url = new URL(window.location.href);
  url.searchParams.delete("pair");
  if (meetingId) url.searchParams.set("m", meetingId);
  history.replaceState(null, "", url);
}

/**
 * Show the pairing form in `main`; resolves with the session once paired, or with what
 * `usePassword()` resolves (the username form) when the person taps that way instead.
 */
export function pairingSignIn(main, app, prefilled, usePassword) {
  return new Promise((resolve) => {
    const error = h("p", { class: "form-error", role: "alert" });
    const code = h("input", {
      id: "pair-code",
      name: "code",
      class: "pair-input",
      autocomplete: "off",
      autocapitalize: "characters",
      spellcheck: "false",
      maxlength: "12",
      required: true,
      value: prefilled ? shown(prefilled) : "",
    });
    const pin = h("input", {
      id: "pair-pin",
      name: "pin",
      type: "password",
      class: "pair-input",
      inputmode: "numeric",
      autocomplete: "off",
      required: true,
    });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-wide", "data-i18n": "pairing.submit" }, t("pairing.submit"));
    const other = h(
      "button",
      { type: "button", class: "btn btn-wide", "data-action": "use-password", "data-i18n": "pairing.use_password", onclick: () => usePassword().then(resolve) },
      t("pairing.use_password"),
    );
    const form = h(
      "form",
      { class: "card signin pairing-signin", novalidate: true },
      h("h1", { "data-i18n": "pairing.title" }, t("pairing.title")),
      h("p", { "data-i18n": "pairing.help" }, t("pairing.help")),
      h("label", { for: "pair-code", "data-i18n": "pairing.code" }, t("pairing.code")),
      code,
      h("label", { for: "pair-pin", "data-i18n": "pairing.pin" }, t("pairing.pin")),
      pin,
      error,
      submit,
      other,
    );
    code.addEventListener("blur", () => {
      code.value = shown(code.value.trim());
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!code.value.trim() || !pin.value) return;
      submit.disabled = true;
      submit.textContent = t("pairing.busy");
      error.textContent = "";
      try {
        const result = await pairTablet(code.value.trim(), pin.value, t("pairing.device_default"));
        const session = { token: result.token, user: result.user, device: result.device };
        saveSession(app, session);
        rememberMeeting(app, { id: result.meeting_id, roles: [] });
        forgetCodeInAddress(result.meeting_id);
        resolve(session);
      } catch (err) {
        error.textContent = err.status === 429 ? t("pairing.too_many") : err.status === 401 ? t("pairing.failed") : t("signin.unreachable");
        submit.disabled = false;
        submit.textContent = t("pairing.submit");
        pin.select();
      }
    });
    onLanguageChange(() => translate(form));
    fill(main, form);
    (prefilled ? pin : code).focus();
  });
}
