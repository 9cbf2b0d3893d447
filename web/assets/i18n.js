// Messages in every language of ./i18n/languages.js (written from the one Python list). The language
// follows, in order: the user's own choice in the header, a participant's preferred_language, the
// browser's languages. English is always loaded (a missing key falls back to it); the chosen
// language's catalogue is imported when it is first chosen, so no one downloads all of them.
import en from "./i18n/en.js";
import { LANGUAGES as LIST } from "./i18n/languages.js";

export const LANGUAGES = LIST.map((entry) => entry.code);
const BY_CODE = Object.fromEntries(LIST.map((entry) => [entry.code, entry]));
const CHOSEN = "tremplin.lang";
const loaded = { en };

let current = "en";

export function language() {
  return current;
}

/** The languages as the header's picker and the profile's field list them: code, own name, reviewed. */
export function languageList() {
  return LIST;
}

/** [code, own name] pairs for a preferred_language field. */
export function languageOptions() {
  return LIST.map((entry) => [entry.code, entry.name]);
}

/** The locale dates and amounts are written in ("de-CH"; Latin digits in Arabic, as on the payslip). */
function locale() {
  return BY_CODE[current].locale;
}

export async function setLanguage(lang, { remember = false } = {}) {
  const entry = BY_CODE[lang];
  if (!entry) return;
  if (!loaded[lang]) loaded[lang] = (await import(`./i18n/${lang}.js`)).default;
  current = lang;
  document.documentElement.lang = entry.lang;
  document.documentElement.dir = entry.dir; // "rtl" mirrors the whole layout (ar)
  document.documentElement.dataset.language = lang; // "de-simple" while lang says "de"
  if (remember) localStorage.setItem(CHOSEN, lang);
  document.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
}

/** The profile's language counts unless the user picked one in the header. */
export async function preferLanguage(lang) {
  if (!localStorage.getItem(CHOSEN)) await setLanguage(lang);
}

export function initialLanguage() {
  const chosen = localStorage.getItem(CHOSEN);
  if (chosen && BY_CODE[chosen]) return chosen;
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (BY_CODE[base]) return base;
  }
  return "en";
}

/** t(key, {name: "x"}) fills "{name}" placeholders; falls back to English, then to the key itself. */
export function t(key, params = {}) {
  const text = loaded[current]?.[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

const ZONE = "Europe/Zurich"; // the programme's time zone, whatever the device says

export function formatDateTime(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  }).format(new Date(iso));
}

/** A calendar date ("2001-04-30"), as it is written, whatever the zone. */
export function formatDate(isoDate) {
  if (!isoDate) return "";
  const [y, m, d] = String(isoDate).slice(0, 10).split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A calendar month ("2026-12") as words: "December 2026", "décembre 2026". */
export function formatMonth(isoMonth) {
  if (!isoMonth) return "";
  const [y, m] = String(isoMonth).slice(0, 7).split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { timeZone: "UTC", month: "long", year: "numeric" }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export function formatTime(iso) {
  return new Intl.DateTimeFormat(locale(), { timeZone: ZONE, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

export function formatMoney(amount) {
  if (amount === null || amount === undefined || amount === "") return "";
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "CHF" }).format(Number(amount));
}

export function formatNumber(value, digits = 2) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(Number(value));
}

export function formatPercent(ratio) {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(Number(ratio));
}

/** Minutes east of UTC that Zurich's clock shows at `date`. */
function zurichOffsetMinutes(date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(date).map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - date.getTime()) / 60000);
}

/** "2026-12-01T08:00" read as Zurich wall-clock time -> "2026-12-01T08:00:00+01:00". */
export function zurichLocalToIso(local) {
  if (!local) return "";
  const [d, time] = local.split("T");
  const [y, m, day] = d.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, day, hh, mm);
  let offset = zurichOffsetMinutes(new Date(wall));
  offset = zurichOffsetMinutes(new Date(wall - offset * 60000)); // settle across a DST change
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d}T${pad(hh)}:${pad(mm)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An ISO instant shown as Zurich wall-clock time for a datetime-local input. */
export function isoToZurichLocal(iso) {
  const date = new Date(iso);
  const shifted = new Date(date.getTime() + zurichOffsetMinutes(date) * 60000);
  return shifted.toISOString().slice(0, 16);
}
