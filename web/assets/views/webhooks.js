// An organisation's webhook integration: the signing secret (shown once), the outbound
// subscription and the deliveries with their attempts. Employers (own) and admins.
import { get, post, put } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { act, badge, checkbox, empty, field, flash, form, h, labelledCell, pager } from "../ui.js";

const EVENTS = ["application.created", "application.confirmed", "application.declined", "application.cancelled", "hours.approved"];
const enc = encodeURIComponent;

function secretBox(answer) {
  return h("div", { class: "card", role: "region", "aria-label": t("new_secret") },
    h("p", {}, h("strong", {}, t("new_secret")), " ", t("secret_once")),
    h("p", { class: "secret", "data-secret": "" }, answer.secret),
    answer.previous_valid_until ? h("p", { class: "muted" }, t("previous_secret_until", { when: formatDateTime(answer.previous_valid_until) })) : null);
}

const COLUMNS = ["col_when", "col_event", "col_status", "col_attempts", "col_next_attempt"];

function deliveryRow(d) {
  const last = d.attempts?.[d.attempts.length - 1];
  const cell = (i, ...content) => labelledCell(t(COLUMNS[i]), {}, ...content); // a card on a phone
  return h("tr", {}, cell(0, formatDateTime(d.created_at)), cell(1, d.event_type), cell(2, badge(d.status)),
    cell(3, String(d.attempts?.length || 0), last?.status_code ? ` (HTTP ${last.status_code})` : last?.error ? ` (${last.error})` : ""),
    cell(4, d.next_attempt_at ? formatDateTime(d.next_attempt_at) : "–"));
}

export async function webhookSection(el, orgId) {
  const id = enc(orgId);
  const secretSlot = h("div");
  el.append(h("h2", {}, t("signing_secret")), h("p", { class: "muted" }, t("secret_explained")), secretSlot,
    h("button", { type: "button", class: "secondary", onclick: (e) => act(e.target, () => post(`/organisations/${id}/webhook-secret`), null,
      (answer) => { secretSlot.replaceChildren(secretBox(answer)); flash("ok", t("secret_rotated_ok")); }) }, t("rotate_secret")));

  el.append(h("h2", {}, t("subscription")), form({ "aria-label": t("subscription") }, [
    field("field_webhook_url", "url", { type: "url", required: true, placeholder: "https://hr.example.ch/tremplin" }),
    h("fieldset", {}, h("legend", {}, t("field_events")), EVENTS.map((ev) => checkbox(`event_${ev}`, ev, true))),
    h("button", { type: "submit" }, t("save")),
  ], (data, _f, submit) => act(submit, () => put(`/organisations/${id}/webhook`, { url: data.url, events: EVENTS.filter((ev) => data[ev]) }), "subscription_saved_ok")));

  el.append(h("h2", {}, t("deliveries")));
  const body = h("tbody");
  const { more, next } = pager((cursor) => get(`/organisations/${id}/webhook-deliveries${cursor ? `?cursor=${enc(cursor)}` : ""}`), deliveryRow, body);
  const first = await next();
  el.append(first.items.length
    ? h("table", { class: "card-rows" }, h("thead", {}, h("tr", {}, COLUMNS.map((k) => h("th", { scope: "col" }, t(k))))), body)
    : empty("no_deliveries"), more);
}
