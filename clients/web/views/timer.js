// Countdowns of the server's timers (a speaker's time, a timed vote), shared by the apps.
//
// A countdown element carries its timer in data attributes: `deadline` (server ms) while it
// runs, or the `remaining` seconds while paused. One ticker per page updates every countdown
// four times a second from the server's clock (core/clock.js), so views need not re-render
// to count: they only rebuild a countdown when its timer changes (an event).
// Classes: `is-warning` within the warning period, `is-over` once the time is up (the timer
// then counts on below zero, as the server's does).

import { formatSeconds, wholeSeconds } from "../core/clock.js";
import { h } from "../core/ui.js";

const TICK = 250;
let clock = null;
let ticking = null;

/** Start the page's ticker with the server's clock (boot.js does it once). */
export function startTicker(serverClock) {
  clock = serverClock;
  if (ticking) return;
  ticking = setInterval(tickAll, TICK);
  clock.addEventListener("change", tickAll);
}

function tickAll() {
  for (const el of document.querySelectorAll(".countdown")) tick(el);
}

function secondsLeft(el) {
  const deadline = el.dataset.deadline;
  if (deadline) return (Number(deadline) - (clock ? clock.now() : Date.now())) / 1000;
  return Number(el.dataset.remaining ?? 0);
}

function tick(el) {
  const left = secondsLeft(el);
  const shown = wholeSeconds(left);
  const text = formatSeconds(left);
  if (el.dataset.seconds !== String(shown)) {
    el.dataset.seconds = String(shown);
    el.querySelector(".countdown-time").textContent = text;
  }
  const warning = Number(el.dataset.warning ?? 0);
  const over = left <= 0 || el.dataset.overrun === "true";
  el.classList.toggle("is-over", over);
  el.classList.toggle("is-warning", !over && ((warning > 0 && left <= warning) || el.dataset.warned === "true"));
}

/**
 * A countdown: `{deadline, remaining, warning, warned, overrun, running}` (deadline in
 * server ms, null while paused). `label` is read by screen readers before the time.
 */
export function countdown(timer, { label = "", className = "", testid = "countdown" } = {}) {
  const el = h(
    "span",
    {
      class: `countdown ${className}`.trim(),
      role: "timer",
      "aria-label": label || null,
      "data-testid": testid,
      "data-deadline": timer.deadline === null || timer.deadline === undefined ? null : String(timer.deadline),
      "data-remaining": String(timer.remaining ?? 0),
      "data-warning": String(timer.warning ?? 0),
      "data-warned": String(Boolean(timer.warned)),
      "data-overrun": String(Boolean(timer.overrun)),
      "data-running": String(timer.running !== false),
    },
    h("span", { class: "countdown-time" }),
  );
  tick(el);
  return el;
}
