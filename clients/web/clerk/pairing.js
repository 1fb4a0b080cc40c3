// The clerk's devices panel: pair each delegate's tablet, see the tablets in use, revoke one.
//
// Pick a delegate → the server issues a pairing code (`POST …/pairing`): it is shown large,
// with the QR code of the tablet's URL (drawn by the server as SVG, shown as an image so
// that nothing in it runs) and a countdown to its expiry by the server's clock. The moment
// the tablet pairs, `device.paired` arrives (staff only) and the code gives way to "paired".
// The list of tablets comes from the replica (`state.devices.paired`); revoking one is
// `POST …/devices/{id}/revoke`. The sitting's setting "ballots only from paired tablets" is
// the command `device.set_binding`.

import { api } from "../core/http.js";
import { t } from "../core/i18n.js";
import { confirmDialog, errorText, fill, formatTime, h, toast } from "../core/ui.js";
import { countdown } from "../views/timer.js";

function delegates(state) {
  return [...state.members.values()]
    .filter((m) => m.roles.includes("delegate"))
    .sort((a, b) => (a.seat ?? 1e9) - (b.seat ?? 1e9) || a.name.localeCompare(b.name));
}

function memberName(state, userId) {
  return state.members.get(userId)?.name ?? userId;
}

function qrImage(svg, name) {
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return h("img", { class: "pair-qr", src, alt: t("pairing.issued_for", { name }), "data-testid": "pair-qr" });
}

export function devicesPanel(ctx) {
  const issueBox = h("section", { class: "card", "data-panel": "pairing" });
  const listBox = h("section", { class: "card", "data-panel": "devices" });
  const result = h("section", { class: "card pair-result", "aria-live": "polite", hidden: true });
  // The code and its QR code on the right, at the top: seen across the desk at a glance.
  const el = h("div", { class: "columns" }, h("div", {}, issueBox, listBox), h("div", {}, result));
  let issued = null;
  let picked = "";
  let lang = null;
  let roster = "";
  let select;
  let issueButton;
  let binding;
  let error;
  let shownKey = "";

  const issue = async () => {
    picked = select.value;
    if (!picked) return;
    issueButton.disabled = true;
    error.textContent = "";
    try {
      issued = await api(`/api/meetings/${encodeURIComponent(ctx.meetingId)}/pairing`, {
        method: "POST",
        token: ctx.session.token,
        body: { user_id: picked },
      });
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      issueButton.disabled = false;
      ctx.refresh();
    }
  };

  const build = (state) => {
    select = h("select", { id: "pair-delegate", name: "delegate" });
    issueButton = h("button", { type: "button", class: "btn btn-primary", "data-action": "issue-code", onclick: issue }, t("pairing.issue"));
    binding = h("input", {
      type: "checkbox",
      id: "pair-binding",
      onchange: (e) => ctx.act("binding", "device.set_binding", { ballots_from_paired_device: e.currentTarget.checked }, {
        done: e.currentTarget.checked ? t("pairing.binding_on") : t("pairing.binding_off"),
      }),
    });
    error = h("p", { class: "form-error", role: "alert" });
    fill(
      issueBox,
      h("h2", {}, t("pairing.issue_title")),
      h("label", { for: "pair-delegate" }, t("pairing.delegate")),
      select,
      h("div", { class: "actions" }, issueButton),
      error,
      h("label", { class: "check" }, binding, h("span", {}, t("pairing.binding"))),
    );
    roster = "";
    fillRoster(state);
  };

  const fillRoster = (state) => {
    const people = delegates(state);
    const key = people.map((m) => `${m.user_id}:${m.name}`).join("|");
    if (key === roster) return;
    roster = key;
    fill(
      select,
      people.map((m) => h("option", { value: m.user_id, selected: m.user_id === picked }, m.seat ? `${m.seat}. ${m.name}` : m.name)),
    );
  };

  const renderIssued = (state) => {
    const paired = issued && [...(state.devices.paired?.values() ?? [])].some((d) => d.user_id === issued.user_id && d.paired_at >= issued.issued_at);
    // Rebuilt only when the code or its fate changes: the countdown ticks by itself.
    const key = issued ? `${issued.code}:${paired}:${lang}` : "";
    if (key === shownKey) return;
    shownKey = key;
    result.hidden = !issued;
    if (!issued) return fill(result);
    if (paired) {
      return fill(result, h("p", { class: "notice notice-ok", "data-testid": "pair-done" }, t("pairing.done", { name: issued.name })));
    }
    const deadline = Date.parse(issued.expires_at);
    const url = new URL(issued.url);
    fill(
      result,
      h(
        "div",
        { class: "pair-issued", "data-testid": "pair-issued", "data-url": issued.url },
        h("h3", {}, t("pairing.issued_for", { name: issued.name }), issued.seat ? ` · ${t("pairing.seat", { seat: issued.seat })}` : ""),
        h("p", { class: "pair-code", "data-testid": "pair-code" }, issued.code),
        qrImage(issued.qr_svg, issued.name),
        h("p", { class: "pair-expiry" }, t("pairing.expires_in"), " ", countdown({ deadline, running: true }, { label: t("pairing.expires_in"), testid: "pair-expiry" })),
        h("p", { class: "pair-url" }, t("pairing.scan", { url: `${url.origin}${url.pathname}` })),
      ),
    );
  };

  const revoke = async (device, name) => {
    if (!(await confirmDialog(t("pairing.confirm_revoke", { name, device: device.name }), { yes: t("pairing.revoke"), danger: true }))) return;
    ctx.busy.add(`revoke:${device.device_id}`);
    ctx.refresh();
    try {
      await api(`/api/meetings/${encodeURIComponent(ctx.meetingId)}/devices/${encodeURIComponent(device.device_id)}/revoke`, {
        method: "POST",
        token: ctx.session.token,
      });
      toast(t("pairing.revoked"), "ok");
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      ctx.busy.delete(`revoke:${device.device_id}`);
      ctx.refresh();
    }
  };

  const renderList = (state) => {
    const paired = [...(state.devices.paired?.values() ?? [])];
    const rows = paired.map((d) => {
      const name = memberName(state, d.user_id);
      return h(
        "li",
        { class: "device-row", "data-device": d.device_id },
        h("div", {}, h("strong", {}, name), h("span", {}, ` · ${d.name}`), h("br"), h("small", {}, t("pairing.paired_at", { time: formatTime(d.paired_at) }))),
        h(
          "button",
          {
            type: "button",
            class: "btn",
            "data-action": "revoke",
            "aria-label": t("pairing.revoke_label", { name }),
            disabled: ctx.busy.has(`revoke:${d.device_id}`),
            onclick: () => revoke(d, name),
          },
          t("pairing.revoke"),
        ),
      );
    });
    fill(
      listBox,
      h("h2", {}, t("pairing.devices_title"), " · ", t("pairing.devices_count", { n: paired.length })),
      rows.length ? h("ul", { class: "device-list", "data-testid": "device-list" }, rows) : h("p", { class: "notice" }, t("pairing.none")),
    );
  };

  return {
    el,
    render(state) {
      // Rebuild the form only when the language changes, so that a choice is never lost.
      if (lang !== t("pairing.issue_title")) {
        lang = t("pairing.issue_title");
        build(state);
      }
      fillRoster(state);
      binding.checked = state.devices.ballots_from_paired_device;
      binding.disabled = ctx.busy.has("binding");
      renderIssued(state);
      renderList(state);
    },
  };
}
