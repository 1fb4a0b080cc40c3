// The clerk imports the delegates of the sitting from a spreadsheet (CSV: seat, name,
// username, roles, pin; or JSON), the file `meeting import delegates` reads. The server
// checks the whole file first (`POST …/roster`): a file with problems is refused with each
// problem on its row and column, and nothing of it is kept. Then the new people get their
// accounts, and the PINs the server made for those without one are shown once, to print
// and hand out (or to pair their tablets). The roster's delegates are listed beside it.

import { t } from "../core/i18n.js";
import { errorText, fill, h, toast } from "../core/ui.js";

/** Send the file's bytes; resolves with the server's answer, rejects with `{status, code}`. */
async function upload(ctx, file) {
  const json = file.name.toLowerCase().endsWith(".json");
  let response;
  try {
    response = await fetch(`/api/meetings/${encodeURIComponent(ctx.meetingId)}/roster`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${ctx.session?.token ?? ""}`,
        "Content-Type": json ? "application/json" : "text/csv; charset=utf-8",
      },
      body: file,
      cache: "no-store",
    });
  } catch (err) {
    throw { status: 0, code: "network", message: String(err?.message ?? err) };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: the status says enough
  }
  if (!response.ok) throw { status: response.status, code: body?.code ?? "unknown", message: body?.message ?? "", problems: body?.problems ?? [] };
  return body;
}

function problemLine(p) {
  const where = [p.row != null ? t("roster.row", { row: p.row }) : null, p.column ? t("roster.column", { column: p.column }) : null]
    .filter(Boolean)
    .join(", ");
  return h("li", {}, where ? h("strong", {}, `${where}: `) : null, p.message);
}

export function rosterPanel(ctx) {
  const result = h("div", { "aria-live": "polite", "data-testid": "roster-result" });
  const file = h("input", { type: "file", id: "roster-file", accept: ".csv,.json,text/csv,application/json", class: "file-input" });
  const heading = h("h2");
  const help = h("p");
  const label = h("label", { for: "roster-file", class: "btn file-label" });
  const count = h("p", { class: "roster-count" });
  const el = h("section", { class: "card", "data-panel": "roster" }, heading, help, count, file, label, result);

  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    fill(result, h("p", { class: "notice" }, t("roster.sending", { name: chosen.name })));
    try {
      const answer = await upload(ctx, chosen);
      const pins = Object.entries(answer.pins ?? {});
      fill(
        result,
        h("p", { class: "notice notice-ok", "data-testid": "roster-done" }, t("roster.done", { n: answer.imported })),
        answer.failed?.length
          ? h("ul", { class: "problems", "data-testid": "roster-failed" }, answer.failed.map(problemLine))
          : null,
        pins.length
          ? h(
              "div",
              { class: "roster-pins" },
              h("p", {}, h("strong", {}, t("roster.pins_title")), " ", t("roster.pins_help")),
              h(
                "table",
                { class: "roster-pin-table", "data-testid": "roster-pins" },
                h("thead", {}, h("tr", {}, h("th", {}, t("roster.username")), h("th", {}, t("roster.pin")))),
                h("tbody", {}, pins.map(([user, pin]) => h("tr", {}, h("td", {}, user), h("td", { class: "roster-pin" }, pin)))),
              ),
              h("button", { type: "button", class: "btn", onclick: () => window.print() }, t("roster.print")),
            )
          : null,
        answer.kept?.length ? h("p", { class: "roster-kept" }, t("roster.kept", { n: answer.kept.length, names: answer.kept.join(", ") })) : null,
      );
      toast(t("roster.done", { n: answer.imported }), "ok");
    } catch (err) {
      if (err.code === "invalid_import") {
        fill(
          result,
          h("p", { class: "problems", role: "alert" }, t("roster.problems", { n: err.problems.length })),
          h("ul", { class: "problems", "data-testid": "roster-problems" }, err.problems.map(problemLine)),
        );
      } else {
        fill(result, h("p", { class: "problems", role: "alert" }, errorText(err)));
      }
    } finally {
      file.value = "";
    }
  });

  return {
    el,
    render(state) {
      heading.textContent = t("roster.title");
      help.textContent = t("roster.help");
      label.textContent = t("roster.choose");
      const delegates = [...state.members.values()].filter((m) => m.roles.includes("delegate"));
      count.textContent = t("roster.count", { n: delegates.length, seats: state.body.seats });
      // More delegates than statutory seats is possible while a roster is being corrected,
      // but quorum and majorities count seats: say it.
      const over = delegates.length > state.body.seats;
      count.classList.toggle("notice-warn", over);
      if (over) count.append(" · ", t("roster.over_seats"));
    },
  };
}
