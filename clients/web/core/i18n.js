// Languages: Vietnamese by default, English on request, the choice remembered on the device.
//
// `t(key, values)` reads the one table in strings.js. Static markup names its strings with
// `data-i18n="key"` (text) or `data-i18n-attr="attribute:key; …"`; `translate(root)` fills
// them. Views built in code call `t` and re-render on `onLanguageChange`.

import { STRINGS } from "./strings.js";

export const LANGUAGES = ["vi", "en"];
const STORAGE_KEY = "meeting.lang";
const listeners = new Set();

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage can be disabled (private mode); the default language then
  }
}

let current = LANGUAGES.includes(stored()) ? stored() : "vi";

export function language() {
  return current;
}

/** The locale for dates and numbers in the current language. */
export function locale() {
  return current === "vi" ? "vi-VN" : "en-GB";
}

export function t(key, values = {}) {
  const text = STRINGS[current][key] ?? STRINGS.vi[key];
  if (text === undefined) {
    console.warn(`missing string ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Whether a string exists in the table (for optional strings such as error codes). */
export function has(key) {
  return key in STRINGS.vi;
}

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang) || lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = lang;
  translate(document);
  for (const fn of listeners) fn(lang);
}

export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function translate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":").map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

document.documentElement.lang = current;
