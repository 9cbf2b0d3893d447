// The step to a regular job (issue 19): an employer offers a regular job to someone it worked
// with; the participant accepts or declines; the caseworker follows it on the participant's page.
import { get, post } from "../api.js";
import { formatDate, formatDateTime, t } from "../i18n.js";
import { act, badge, empty, field, form, go, h, pager } from "../ui.js";

const enc = encodeURIComponent;
const CONTRACTS = ["permanent", "fixed_term", "apprenticeship"];

function offerFacts(o) {
  return h("p", {}, t("regular_offer_facts", {
    contract: t(`contract_${o.contract}`), workload: o.workload_percent, start: formatDate(o.start_date),
  }));
}

function offerCard(o, { who, actions = [] }) {
  const heading = who === "participant" ? `${o.position_title} · ${o.org_name || ""}` : `${o.position_title} · ${o.participant_name || ""}`;
  return h("li", { class: "card", "data-offer": o.offer_id },
    h("div", { class: "spread" }, h("h3", {}, heading.replace(/ · $/, "")), badge(`offer_${o.status}`)),
    offerFacts(o),
    who !== "participant" && o.org_name ? h("p", { class: "muted" }, o.org_name) : null,
    o.message ? h("blockquote", {}, o.message) : null,
    h("p", { class: "muted" }, t("regular_offer_made_on", { when: formatDateTime(o.created_at) })),
    actions);
}

/** The employer's form under a completed applicant's card: offer them a regular job. */
export function regularOfferForm(participantId) {
  return h("details", {}, h("summary", {}, t("offer_regular_job")), h("p", { class: "muted" }, t("regular_offer_no_fee")),
    form({ "aria-label": t("offer_regular_job") }, [
      h("div", { class: "grid2" },
        field("field_position_title", "position_title", { required: true, maxlength: 200 }),
        field("field_start_date", "start_date", { type: "date", required: true }),
        field("field_contract", "contract", { options: CONTRACTS.map((c) => [c, t(`contract_${c}`)]) }),
        field("field_workload_percent", "workload_percent", { type: "number", min: 10, max: 100, value: "100", required: true })),
      field("field_offer_message", "message", { type: "textarea", maxlength: 2000 }),
      h("button", { type: "submit" }, t("send_regular_offer")),
    ], (data, _f, submit) => act(submit, () => post("/regular-offers", {
      participant_id: participantId, position_title: data.position_title, start_date: data.start_date, contract: data.contract,
      workload_percent: Number(data.workload_percent), ...(data.message ? { message: data.message } : {}),
    }), "regular_offer_sent_ok", () => go("#/regular-offers"))));
}

/** Employer: the organisation's offers, newest first; an open one can be withdrawn. */
export async function employerOffers(el) {
  el.append(h("h1", {}, t("nav_regular_offers")), h("p", { class: "muted" }, t("regular_offer_no_fee")));
  const listEl = h("ul", { class: "cards" });
  const card = (o) => offerCard(o, { who: "employer", actions: o.status === "open"
    ? [h("button", { type: "button", class: "danger", onclick: (e) => act(e.target, () => post(`/regular-offers/${enc(o.offer_id)}/withdraw`), "regular_offer_withdrawn_ok", () => go("#/regular-offers")) }, t("withdraw_regular_offer"))]
    : [] });
  const { more, next } = pager((cursor) => get(`/regular-offers${cursor ? `?cursor=${enc(cursor)}` : ""}`), card, listEl);
  const first = await next();
  el.append(first.items.length ? listEl : empty("no_regular_offers_employer"), more);
}

/** Participant: their offers; an open one is accepted or declined. */
export async function participantOffers(el) {
  el.append(h("h1", {}, t("nav_regular_offers")));
  const listEl = h("ul", { class: "cards" });
  const answer = (o, path, key, okKey, cls) => h("button", { type: "button", class: cls, onclick: (e) => act(e.target, () => post(`/regular-offers/${enc(o.offer_id)}/${path}`), okKey, () => go("#/regular-offers")) }, t(key));
  const card = (o) => offerCard(o, { who: "participant", actions: o.status === "open"
    ? [h("p", {}, t("regular_offer_accept_means")), h("div", { class: "row" }, answer(o, "accept", "accept_regular_offer", "regular_offer_accepted_ok"), answer(o, "decline", "decline_regular_offer", "regular_offer_declined_ok", "danger"))]
    : [] });
  const { more, next } = pager((cursor) => get(`/me/regular-offers${cursor ? `?cursor=${enc(cursor)}` : ""}`), card, listEl);
  const first = await next();
  el.append(first.items.length ? listEl : empty("no_regular_offers"), more);
}

/** Caseworker and admin: a section of the participant's page. */
export async function participantOffersSection(participantId) {
  const page = await get(`/regular-offers?participant_id=${enc(participantId)}&limit=50`);
  return h("section", { "aria-labelledby": "regular-offers-h" }, h("h2", { id: "regular-offers-h" }, t("nav_regular_offers")),
    page.items.length ? h("ul", { class: "cards" }, page.items.map((o) => offerCard(o, { who: "staff" }))) : empty("no_regular_offers_staff"));
}
