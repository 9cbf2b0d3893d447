// The one door to the HTTP API of API.md: base URL, bearer token, the contract's error body.
import { t } from "./i18n.js";
import { caller, token, signOut } from "./auth.js";

let base = "";

export function setApiBase(url) {
  base = (url || "").replace(/\/$/, "");
}

export class ApiError extends Error {
  constructor(status, code, message, details = [], change = false) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.change = change; // a failed change may have been made all the same (a lost answer, a 5xx)
  }
}

// A change is one user action (one click, one call): it carries a key of its own, and its retries
// below (a lost answer, a busy platform) carry the same one, so it is made once; the next click is a
// new call with a new key.
const RETRY_AFTER_MS = [500, 2000];

function actionKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function worthRetrying(answer) {
  if (!answer) return true;
  if (answer.status !== 503 && answer.status !== 409) return false;
  const data = await answer.clone().json().catch(() => null);
  // A 503 whose change may have been saved is not sent again: its key's answer is not kept, so a
  // repeat would run the change anew; the user reloads and sees (the message says so).
  if (answer.status === 503) return !(data?.error?.details || []).some((d) => d?.outcome === "unknown");
  return data?.error?.code === "idempotency_key_in_use";
}

export async function call(method, path, body) {
  const headers = { accept: "application/json" };
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const change = method !== "GET";
  if (change) headers["idempotency-key"] = actionKey();
  const request = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  let answer = null;
  for (let attempt = 0; ; attempt += 1) {
    answer = await fetch(base + path, request).catch(() => null);
    if (!change || attempt >= RETRY_AFTER_MS.length || !(await worthRetrying(answer))) break;
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS[attempt]));
  }
  if (!answer) throw new ApiError(0, "network", "network", [], change);
  const text = await answer.text();
  const data = parsed(text);
  if (answer.ok) return data;
  throw failure(answer, data, text, change);
}

function parsed(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** The contract's error body of a failed answer as an ApiError (a 401 signs the user out). */
function failure(answer, data, text, change) {
  const error = data && data.error ? data.error : { code: `http_${answer.status}`, message: text, details: [] };
  if (answer.status === 401) signOut({ expired: true });
  return new ApiError(answer.status, error.code, error.message, error.details || [], change);
}

/** A file the API answers (a payslip's PDF) as a Blob: read with the bearer token like every call. */
export async function getFile(path, type) {
  const headers = { accept: `${type}, application/json` };
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const answer = await fetch(base + path, { headers }).catch(() => null);
  if (!answer) throw new ApiError(0, "network", "network", [], false);
  if (answer.ok) return answer.blob();
  const text = await answer.text();
  throw failure(answer, parsed(text), text, false);
}

export const get = (path) => call("GET", path);
export const post = (path, body = {}) => call("POST", path, body);
export const patch = (path, body) => call("PATCH", path, body);
export const put = (path, body) => call("PUT", path, body);

/** "/jobs" + {category: "x", postcode: ""} -> "/jobs?category=x" */
export function withQuery(path, params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The first of these messages that the catalogue has; null if none. */
function firstMessage(...keys) {
  for (const key of keys) {
    const text = t(key);
    if (text !== key) return text;
  }
  return null;
}

/**
 * An API error in words a person understands, in their language. A rule can read differently to
 * the one it is about ("give your consent" vs "has not consented": `error_<code>_<role>`). A
 * message without a suffix is written for a change whose outcome may be unknown (a 5xx or a lost
 * answer after the retries: "reload to see whether it was saved"); `_read` is the same trouble
 * while only reading, where nothing was changed.
 */
export function describeError(err) {
  if (!(err instanceof ApiError)) return { text: t("error_unexpected"), details: [] };
  const role = caller()?.role;
  const code = `error_${err.code}`;
  const read = err.change ? [] : [`${code}_read`];
  const status = `error_status_${Math.floor(err.status / 100)}xx`;
  let text = firstMessage(`${code}_${role}`, ...read, code);
  if (text === null && err.status === 404) text = t("error_not_found");
  if (text === null && err.status === 403) text = t("error_forbidden");
  if (text === null) text = firstMessage(...(err.change ? [] : [`${status}_read`]), status) ?? t("error_unexpected");
  const details = err.code === "validation_failed" ? err.details.map(fieldProblem) : [];
  return { text, details };
}

function fieldProblem(detail) {
  const parts = String(detail.field || "").split(".");
  const names = parts.filter((p) => !/^\d+$/.test(p));
  const index = parts.find((p) => /^\d+$/.test(p));
  const name = names[names.length - 1] || "";
  const label = t(`field_${name}`) !== `field_${name}` ? t(`field_${name}`) : name;
  const where = index !== undefined ? ` (${t("item_number", { n: Number(index) + 1 })})` : "";
  return t("field_problem", { field: `${label}${where}`, problem: t("field_invalid") });
}
