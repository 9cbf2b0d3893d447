// The programme's admin: organisations (status, webhook secret), participants, reports, inbox.
import { get, post } from "../api.js";
import { t } from "../i18n.js";
import { act, badge, empty, field, form, go, h, pager } from "../ui.js";
import { participant, participantCard } from "./caseworker.js";
import { inbox } from "./notifications.js";
import { report, reports } from "./reports.js";
import { webhookSection } from "./webhooks.js";

const enc = encodeURIComponent;

function orgCard(o) {
  return h("li", { class: "card" },
    h("div", { class: "spread" }, h("h3", {}, h("a", { href: `#/organisations/${enc(o.org_id)}` }, o.name)), badge(o.status)),
    h("p", { class: "muted" }, `${t(`kind_${o.kind}`)} · ${o.address.city} · ${o.contact_email}`));
}

async function organisations(el) {
  el.append(h("h1", {}, t("nav_organisations")));
  el.append(h("details", {}, h("summary", {}, t("new_organisation")), form({ "aria-label": t("new_organisation") }, [
    h("div", { class: "grid2" },
      field("field_name", "name", { required: true }),
      field("field_kind", "kind", { options: [["company", t("kind_company")], ["public", t("kind_public")]] }),
      field("field_contact_email", "contact_email", { type: "email", required: true }),
      field("field_street", "street", { required: true }),
      field("field_postcode", "postcode", { required: true, inputmode: "numeric" }),
      field("field_city", "city", { required: true })),
    h("button", { type: "submit" }, t("create")),
  ], (data, _f, submit) => act(submit, () => post("/organisations", {
    name: data.name, kind: data.kind, contact_email: data.contact_email, address: { street: data.street, postcode: data.postcode, city: data.city },
  }), "organisation_created_ok", (created) => go(`#/organisations/${enc(created.org_id)}`)))));
  const listEl = h("ul", { class: "cards" });
  const { more, next } = pager((cursor) => get(`/organisations${cursor ? `?cursor=${enc(cursor)}` : ""}`), orgCard, listEl);
  const first = await next();
  el.append(first.items.length ? listEl : empty("no_organisations"), more);
}

async function organisation(el, { org_id }) {
  const id = enc(org_id);
  const o = await get(`/organisations/${id}`);
  el.append(h("div", { class: "spread" }, h("h1", {}, o.name), badge(o.status)),
    h("p", { class: "muted" }, `${t(`kind_${o.kind}`)} · ${o.address.street}, ${o.address.postcode} ${o.address.city} · ${o.contact_email}`));
  const toggle = o.status === "active" ? ["suspend", "suspended_ok", "danger"] : ["activate", "activated_ok", ""];
  el.append(h("button", { type: "button", class: toggle[2], onclick: (e) => act(e.target, () => post(`/organisations/${id}/${toggle[0]}`), toggle[1], () => go(`#/organisations/${id}`)) }, t(toggle[0])));
  await webhookSection(el, org_id);
}

async function people(el) {
  el.append(h("h1", {}, t("nav_participants")));
  const listEl = h("ul", { class: "cards" });
  const { more, next } = pager((cursor) => get(`/participants${cursor ? `?cursor=${enc(cursor)}` : ""}`), participantCard, listEl);
  const first = await next();
  el.append(first.items.length ? listEl : empty("no_participants"), more);
}

export default {
  nav: [["#/organisations", "nav_organisations"], ["#/participants", "nav_participants"], ["#/reports", "nav_reports"], ["#/notifications", "nav_notifications"]],
  routes: [["/organisations", organisations], ["/organisations/:org_id", organisation], ["/participants", people],
    ["/participants/:participant_id", participant], ["/reports", reports], ["/reports/:report_id", report], ["/notifications", inbox]],
};
