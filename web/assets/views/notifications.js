// Notifications as every role reads them: the server writes each one in its reader's language
// (`message`: job, organisation, local time, never an id) with a `link` to the screen where the
// reader acts. The app shows that text, makes it a link, and adds when the note was sent.
import { get } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { empty, h, isScreen, pager } from "../ui.js";

const enc = encodeURIComponent;

/**
 * Where a note's link leads from here: "#/applications" for a link to this app (relative, or
 * absolute to this origin) that names one of the signed-in user's screens other than the one
 * showing; the address itself for an https link elsewhere; null for anything else (a screen of
 * another role, as in a caseworker's view of what the participant was told, or a strange URL).
 */
export function noteHref(link) {
  if (!link) return null;
  let url;
  try {
    url = new URL(link, location.href);
  } catch {
    return null;
  }
  if (url.origin !== location.origin) return url.protocol === "https:" ? url.href : null;
  const route = url.hash.replace(/^#/, "");
  const path = route.split("?")[0];
  const here = (location.hash.replace(/^#/, "") || "/").split("?")[0];
  if (!path.startsWith("/") || path === here || !isScreen(path)) return null;
  return `#${route}`;
}

export function notificationItem(n) {
  const text = n.message || n.subject || t("note_without_text");
  const href = noteHref(n.link);
  return h("li", { class: "card note" },
    h("p", {}, href ? h("a", { href }, text) : text),
    n.created_at ? h("p", { class: "muted" }, h("time", { datetime: n.created_at }, formatDateTime(n.created_at))) : null);
}

export function notificationList(items) {
  return h("ul", { class: "cards notes" }, items.map(notificationItem));
}

/** The signed-in user's inbox (GET /me/notifications), newest first, page by page. */
export async function inbox(el) {
  el.append(h("h1", {}, t("nav_notifications")));
  const listEl = h("ul", { class: "cards notes" });
  const { more, next } = pager((cursor) => get(`/me/notifications${cursor ? `?cursor=${enc(cursor)}` : ""}`),
    notificationItem, listEl);
  const first = await next();
  el.append(first.items.length ? listEl : empty("no_notifications"), more);
}
