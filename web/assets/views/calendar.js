// Calendar feed (issue 20): the participant turns on a private calendar feed of their confirmed
// shifts, copies its secret URL into their phone's calendar, renews it or turns it off. Only the
// URL's hash is stored: the URL shows once, right after it was made.
import { call, get, post } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { act, flash, h } from "../ui.js";

function urlBox(url) {
  const input = h("input", { id: "calendar-url", type: "text", readonly: "readonly", value: url, "aria-label": t("calendar_url") });
  const copy = h("button", { type: "button", "data-copy": "calendar" }, t("calendar_copy"));
  copy.addEventListener("click", async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(url);
      flash("ok", t("calendar_copied"));
    } catch {
      flash("info", t("calendar_copy_by_hand"));
    }
  });
  return h("div", { class: "card", "data-calendar-url": url },
    h("label", { for: "calendar-url" }, t("calendar_url")), input, h("p", {}, copy),
    h("p", { class: "muted" }, t("calendar_url_once")));
}

function draw(el, feed) {
  const button = (key, action) => {
    const b = h("button", { type: "button", "data-action": key }, t(key));
    b.addEventListener("click", () => act(b, action, null, (next) => draw(el, next)));
    return b;
  };
  el.replaceChildren(h("h1", {}, t("calendar_title")), h("p", {}, t("calendar_intro")));
  if (!feed.enabled) {
    el.append(h("p", { "data-calendar": "off" }, t("calendar_is_off")), h("p", {}, button("calendar_turn_on", () => post("/me/calendar"))));
    return;
  }
  el.append(h("p", { "data-calendar": "on" }, t("calendar_is_on", { when: formatDateTime(feed.turned_on_at) })));
  if (feed.url) el.append(urlBox(feed.url));
  el.append(h("p", { class: "actions" },
    button("calendar_renew", () => post("/me/calendar")), " ",
    button("calendar_turn_off", () => call("DELETE", "/me/calendar"))));
}

export async function calendar(el) {
  draw(el, await get("/me/calendar"));
}
