// Small DOM helpers. Everything from the API goes in as text (textContent), never as HTML.
import { t } from "./i18n.js";
import { describeError } from "./api.js";

/** h("p", {class: "x", onclick: f}, "text", child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** "/jobs/J1" against "/jobs/:job_id" -> {job_id: "J1"} or null. */
export function matchRoute(pattern, path) {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

let screens = [];

/** The router tells which screens the signed-in user has ([pattern, render] pairs). */
export function setScreens(table) {
  screens = table || [];
}

/** Whether "/shifts/S1" is one of the signed-in user's screens (else the router would turn it away). */
export function isScreen(path) {
  return screens.some(([pattern]) => matchRoute(pattern, path) !== null);
}

/** Show another screen (or the same one again, freshly loaded). */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new Event("tremplin:refresh"));
  else location.hash = hash;
}

export function badge(status) {
  return h("span", { class: `badge ${status}` }, t(`status_${status}`));
}

let fieldCounter = 0;

/** A labelled input; `name` is the form field the value is read from. */
export function field(labelKey, name, attrs = {}) {
  const id = `f${++fieldCounter}`;
  const control = attrs.options
    ? h("select", { id, name, required: attrs.required },
        attrs.options.map(([value, text]) => h("option", { value, selected: value === attrs.value }, text)))
    : attrs.type === "textarea"
      ? h("textarea", { id, name, required: attrs.required, maxlength: attrs.maxlength }, attrs.value ?? "")
      : h("input", { id, name, type: attrs.type || "text", value: attrs.value, required: attrs.required,
          min: attrs.min, max: attrs.max, step: attrs.step, pattern: attrs.pattern, inputmode: attrs.inputmode,
          autocomplete: attrs.autocomplete || "off", placeholder: attrs.placeholder });
  // Label and control side by side (not nested): a select's name is then its label alone.
  if (attrs.hint) control.setAttribute("aria-describedby", `${id}-hint`);
  return h("div", { class: "field" }, h("label", { for: id }, t(labelKey)),
    attrs.hint ? h("span", { class: "muted", id: `${id}-hint` }, t(attrs.hint)) : null, control);
}

export function checkbox(labelKey, name, checked = false, value = "on") {
  return h("label", { class: "check" }, h("input", { type: "checkbox", name, value, checked }), t(labelKey));
}

/** Comma-separated text -> list without blanks. */
export function list(text) {
  return String(text || "").split(",").map((s) => s.trim()).filter(Boolean);
}

// ------------------------------------------------------------------ messages

export function flash(kind, text, details = []) {
  const box = document.getElementById("flash");
  box.replaceChildren(h("div", { class: `msg ${kind}` }, h("p", {}, text),
    details.length ? h("ul", {}, details.map((d) => h("li", {}, d))) : null));
}

let keepOnce = false;

export function clearFlash() {
  document.getElementById("flash").replaceChildren();
}

/** On a new screen: forget the last message, unless it announces what led here. */
export function clearFlashOnNavigation() {
  if (!keepOnce) clearFlash();
  keepOnce = false;
}

export function showError(err) {
  const { text, details } = describeError(err);
  flash("error", text, details);
}

/**
 * Run an action from a button or form: disable it while it runs (a second click must not
 * send a second request), say what happened, and re-render on success.
 */
export async function act(control, action, okKey, after) {
  if (control) control.disabled = true;
  clearFlash();
  try {
    const result = await action();
    if (okKey) {
      flash("ok", t(okKey));
      keepOnce = true; // `after` may move to another screen; the message should follow
    }
    if (after) await after(result);
    return result;
  } catch (err) {
    showError(err);
    return undefined;
  } finally {
    if (control && control.isConnected) control.disabled = false;
  }
}

/** A form whose submit runs `onSubmit(data, form)` with its values as an object. */
export function form(attrs, children, onSubmit) {
  // The API is the one judge of input (its 422 names the fields), so the browser's own
  // checks are off: one set of rules, one way of showing what is wrong.
  const el = h("form", { novalidate: true, ...attrs }, children);
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(el).entries());
    const submit = el.querySelector("button[type=submit]");
    await onSubmit(data, el, submit);
  });
  return el;
}

export function empty(key) {
  return h("p", { class: "muted" }, t(key));
}

/** A "more" button that fetches the next page of a list and appends its cards. */
export function pager(load, render, container) {
  let cursor = null;
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("more"));
  async function next() {
    const page = await load(cursor);
    page.items.forEach((item) => container.append(render(item)));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    return page;
  }
  more.addEventListener("click", () => act(more, next));
  return { more, next };
}

/** A horizontal bar chart (SVG) with the same figures in a table for screen readers. */
export function barChart(titleKey, rows, format = (v) => String(v)) {
  if (!rows.length) return h("figure", {}, h("figcaption", {}, h("h3", {}, t(titleKey))), empty("nothing_to_chart"));
  const width = 520, barH = 22, gap = 8, labelW = 190;
  const max = Math.max(1, ...rows.map(([, v]) => Number(v) || 0));
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "chart");
  svg.setAttribute("viewBox", `0 0 ${width} ${rows.length * (barH + gap) + gap}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t(titleKey));
  rows.forEach(([label, value], i) => {
    const y = gap + i * (barH + gap);
    const w = ((Number(value) || 0) / max) * (width - labelW - 80);
    const text = document.createElementNS(svg.namespaceURI, "text");
    text.setAttribute("x", "6");
    text.setAttribute("y", String(y + barH * 0.7));
    text.textContent = label;
    const rect = document.createElementNS(svg.namespaceURI, "rect");
    rect.setAttribute("x", String(labelW));
    rect.setAttribute("y", String(y));
    rect.setAttribute("width", String(Math.max(w, 1)));
    rect.setAttribute("height", String(barH));
    const val = document.createElementNS(svg.namespaceURI, "text");
    val.setAttribute("x", String(labelW + Math.max(w, 1) + 6));
    val.setAttribute("y", String(y + barH * 0.7));
    val.textContent = format(value);
    svg.append(text, rect, val);
  });
  const table = h("table", { class: "sr-only" }, h("caption", {}, t(titleKey)),
    rows.map(([label, value]) => h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, format(value)))));
  return h("figure", {}, h("figcaption", {}, h("h3", {}, t(titleKey))), svg, table);
}

// Phone layout (issue 20): a table of class "card-rows" is a list of cards on a phone
// (styles.css); each cell then shows its column's name beside its content.
export function labelledCell(label, attrs, ...content) {
  return h("td", { ...attrs, "data-label": label }, h("div", {}, ...content));
}
