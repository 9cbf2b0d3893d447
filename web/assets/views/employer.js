// The employer: post jobs with shifts, applicants as cards, offers, hours, no-shows, ratings,
// the organisation's inbox and its webhook deliveries.
import { get, post } from "../api.js";
import { formatDateTime, formatMoney, formatNumber, isoToZurichLocal, t, zurichLocalToIso } from "../i18n.js";
import { act, badge, checkbox, empty, field, form, go, h, list, pager } from "../ui.js";
import { categoryOptions, jobCard, jobFacts, seatsText, shiftText } from "./jobs_common.js";
import { checkInLine, checkInPanel, employerCheckIn, prefilledHours } from "./check_in.js";
import { favouriteIds, favouriteToggle, favouritesScreen } from "./favourites.js";
import { inbox } from "./notifications.js";
import { referenceForm } from "./papers.js";
import { ratingForm } from "./participant.js";
import { employerOffers, regularOfferForm } from "./regular_offers.js";
import { webhookSection } from "./webhooks.js";

const enc = encodeURIComponent;

async function jobs(el) {
  el.append(h("div", { class: "spread" }, h("h1", {}, t("my_jobs")), h("a", { href: "#/jobs/new" }, t("post_job"))));
  const listEl = h("ul", { class: "cards" });
  const { more, next } = pager((cursor) => get(`/jobs${cursor ? `?cursor=${enc(cursor)}` : ""}`), (job) => jobCard(job, `#/jobs/${enc(job.job_id)}`), listEl);
  const first = await next();
  el.append(first.items.length ? listEl : empty("no_jobs_posted"), more);
}

function shiftFieldset(n) {
  return h("fieldset", { class: "shift" }, h("legend", {}, t("shift_n", { n })),
    h("div", { class: "grid2" },
      field("field_starts_at", `starts_at_${n}`, { type: "datetime-local", required: true }),
      field("field_ends_at", `ends_at_${n}`, { type: "datetime-local", required: true }),
      field("field_break_minutes", `break_minutes_${n}`, { type: "number", min: 0, value: "0" }),
      field("field_slots", `slots_${n}`, { type: "number", min: 1, value: "1", required: true })));
}

function shiftsFrom(data) {
  const shifts = [];
  for (let n = 1; `starts_at_${n}` in data; n++) {
    shifts.push({
      starts_at: zurichLocalToIso(data[`starts_at_${n}`]),
      ends_at: zurichLocalToIso(data[`ends_at_${n}`]),
      break_minutes: Number(data[`break_minutes_${n}`] || 0),
      slots: Number(data[`slots_${n}`]),
    });
  }
  return shifts;
}

/** The pay scheme's wage classes (its latest version's), "unskilled" if it cannot be read. */
async function wageClasses() {
  try {
    const versions = (await get("/pay-scheme")).versions || [];
    const classes = Object.keys(versions.at(-1)?.minimum_wages || {});
    if (classes.length) return classes;
  } catch {
    // an older API without the pay scheme: the default class only
  }
  return ["unskilled"];
}

function wageClassName(k) {
  const key = `wage_class_${k}`;
  const text = t(key);
  return text === key ? k.replaceAll("_", " ") : text;
}

async function newJob(el) {
  el.append(h("h1", {}, t("post_job")));
  const classes = await wageClasses();
  const shifts = h("div", { class: "shifts" }, shiftFieldset(1));
  const addShift = h("button", { type: "button", class: "secondary", onclick: () => {
    const set = shiftFieldset(shifts.children.length + 1);
    shifts.append(set);
    set.querySelector("input").focus();
  } }, t("add_shift"));
  el.append(form({ "aria-label": t("post_job") }, [
    field("field_title", "title", { required: true, maxlength: 120 }),
    field("field_description", "description", { type: "textarea", required: true }),
    h("div", { class: "grid2" },
      field("field_category", "category", { options: categoryOptions() }),
      field("field_wage_class", "wage_class", { options: classes.map((k) => [k, wageClassName(k)]), value: classes.includes("unskilled") ? "unskilled" : classes[0] }),
      field("field_hourly_wage", "hourly_wage", { inputmode: "decimal", required: true, placeholder: "25.00", hint: "hint_wage" })),
    h("fieldset", {}, h("legend", {}, t("field_location")), h("div", { class: "grid2" },
      field("field_street", "street", { required: true, autocomplete: "street-address" }),
      field("field_postcode", "postcode", { required: true, inputmode: "numeric", autocomplete: "postal-code" }),
      field("field_city", "city", { required: true, autocomplete: "address-level2" }))),
    h("div", { class: "grid2" },
      field("field_skills", "skills", { hint: "hint_comma" }),
      field("field_languages", "languages", { hint: "hint_languages" })),
    shifts, addShift,
    // favourites: published to the organisation's favourites first, for so many hours
    field("field_favourites_first_hours", "favourites_first_hours", { type: "number", min: 0, max: 72, value: "0", hint: "hint_favourites_first" }),
    checkbox("publish_now", "publish", true),
    h("button", { type: "submit" }, t("save_job")),
  ], (data, _f, submit) => act(submit, () => post("/jobs", {
    title: data.title, description: data.description, category: data.category, hourly_wage: data.hourly_wage.replace(",", "."),
    wage_class: data.wage_class || "unskilled",
    location: { street: data.street, postcode: data.postcode, city: data.city },
    requirements: { skills: list(data.skills), languages: list(data.languages) },
    shifts: shiftsFrom(data), publish: Boolean(data.publish),
    favourites_first_hours: Number(data.favourites_first_hours || 0),
  }), "job_saved_ok", (created) => go(`#/jobs/${enc(created.job_id)}`))));
}

async function job(el, { job_id }) {
  const item = await get(`/jobs/${enc(job_id)}`);
  const id = enc(job_id);
  el.append(h("div", { class: "spread" }, h("h1", {}, item.title), badge(item.status)), jobFacts(item));
  if (item.favourites_until) el.append(h("p", { class: "muted" }, `★ ${t("favourites_first_until", { when: formatDateTime(item.favourites_until) })}`));
  if (item.status === "draft") {
    el.append(h("button", { type: "button", onclick: (e) => act(e.target, () => post(`/jobs/${id}/publish`), "published_ok", () => go(`#/jobs/${id}`)) }, t("publish")));
  }
  el.append(h("h2", {}, t("shifts")), h("ul", { class: "cards" }, item.shifts.map((shift) => h("li", { class: "card" },
    h("div", { class: "spread" }, h("strong", {}, shiftText(shift)), badge(shift.status)),
    h("p", { class: "muted" }, seatsText(shift)),
    h("p", {}, h("a", { href: `#/shifts/${enc(shift.shift_id)}` }, t("see_applicants"))),
    shift.status === "open" ? h("details", {}, h("summary", {}, t("cancel_shift")), form({ "aria-label": t("cancel_shift") }, [
      field("field_reason", "reason", { maxlength: 500 }), h("button", { type: "submit", class: "danger" }, t("cancel_shift"))],
    (data, _f, submit) => act(submit, () => post(`/shifts/${enc(shift.shift_id)}/cancel`, data.reason ? { reason: data.reason } : {}), "cancelled_ok", () => go(`#/jobs/${id}`)))) : null,
  ))));
  if (item.status !== "cancelled") {
    const shifts = h("div", {}, shiftFieldset(1));
    el.append(h("h2", {}, t("add_shift")), form({ "aria-label": t("add_shift") }, [shifts, h("button", { type: "submit", class: "secondary" }, t("add_shift"))],
      (data, _f, submit) => act(submit, () => post(`/jobs/${id}/shifts`, shiftsFrom(data)[0]), "shift_added_ok", () => go(`#/jobs/${id}`))));
    el.append(h("details", {}, h("summary", {}, t("cancel_job")), form({ "aria-label": t("cancel_job") }, [
      field("field_reason", "reason", { required: true, maxlength: 500 }), h("button", { type: "submit", class: "danger" }, t("cancel_job"))],
    (data, _f, submit) => act(submit, () => post(`/jobs/${id}/cancel`, { reason: data.reason }), "cancelled_ok", () => go(`#/jobs/${id}`)))));
  }
}

function hoursForm(a, back) {
  // check-in at the site: the recorded arrival and departure prefill the form; the employer may correct them
  const prefill = prefilledHours(a, a.shift_starts_at || a.applicant.shift_starts_at || new Date().toISOString());
  const starts = isoToZurichLocal(prefill.started_at);
  return form({ "aria-label": t("record_hours") }, [
    h("div", { class: "grid2" },
      field("field_started_at", "started_at", { type: "datetime-local", required: true, value: starts }),
      field("field_ended_at", "ended_at", { type: "datetime-local", required: true, value: prefill.ended_at ? isoToZurichLocal(prefill.ended_at) : undefined }),
      field("field_break_minutes", "break_minutes", { type: "number", min: 0, value: "0" })),
    h("button", { type: "submit" }, t("record_hours")),
  ], (data, _f, submit) => act(submit, () => post(`/applications/${enc(a.application_id)}/hours`, {
    started_at: zurichLocalToIso(data.started_at), ended_at: zurichLocalToIso(data.ended_at), break_minutes: Number(data.break_minutes || 0),
  }), "hours_recorded_ok", () => go(back)));
}

function applicantCard(a, shift, back, favourite) {
  const p = a.applicant;
  const id = enc(a.application_id);
  const button = (key, path, okKey, cls) => h("button", { type: "button", class: cls, onclick: (e) => act(e.target, () => post(`/applications/${id}/${path}`), okKey, () => go(back)) }, t(key));
  const actions = [];
  if (a.status === "applied") actions.push(h("div", { class: "row" }, button("accept", "accept", "offer_sent_ok"), button("reject", "reject", "rejected_ok", "danger")));
  if (a.status === "offered") actions.push(h("p", { class: "muted" }, t("offer_waiting", { when: formatDateTime(a.offer_expires_at) })));
  if (a.status === "confirmed") {
    actions.push(checkInLine(a.check_in), employerCheckIn(a, back)); // check-in at the site
    actions.push(hoursForm({ ...a, shift_starts_at: shift.starts_at }, back));
    actions.push(button("no_show", "no-show", "no_show_ok", "danger"));
  }
  if (a.hours) actions.push(h("p", {}, t("hours_line", { from: formatDateTime(a.hours.started_at), to: formatDateTime(a.hours.ended_at), pause: a.hours.break_minutes })));
  if (a.pay) actions.push(h("p", {}, t("pay_gross", { gross: formatMoney(a.pay.gross), hours: formatNumber(a.pay.hours) })));
  if (a.status === "completed") actions.push(h("details", {}, h("summary", {}, t("rate_participant")), ratingForm(`/applications/${id}/rating`, back)));
  if (a.reference) actions.push(h("p", {}, h("strong", {}, t("reference_written")), " ", a.reference.text)); // papers for the next step
  if (a.status === "completed") actions.push(referenceForm(a, back));
  if (a.status === "completed") actions.push(regularOfferForm(p.participant_id)); // the step to a regular job
  if (a.status === "completed" && favourite) actions.push(favouriteToggle(favourite.orgId, p.participant_id, favourite.ids.has(p.participant_id), back));
  return h("li", { class: "card", "data-application": a.application_id },
    h("div", { class: "spread" }, h("h3", {}, p.full_name || `${p.first_name} ${p.last_initial}`), badge(a.status)),
    p.phone ? h("p", {}, t("field_phone"), ": ", h("a", { href: `tel:${p.phone}` }, p.phone)) : null,
    h("p", { class: "muted" }, t("card_facts", { shifts: p.completed_shifts, no_shows: p.no_show_count, rating: p.average_rating ?? "–" })),
    p.skills.length ? h("p", {}, h("strong", {}, t("field_skills")), " ", p.skills.join(", ")) : null,
    p.languages.length ? h("p", {}, h("strong", {}, t("field_languages")), " ", p.languages.join(", ")) : null,
    a.message ? h("blockquote", {}, a.message) : null,
    a.invited ? h("p", { class: "muted" }, `★ ${t("invited_by_you")}`) : null,
    actions,
  );
}

async function applicants(el, { shift_id }, who) {
  const shift = await get(`/shifts/${enc(shift_id)}`);
  const page = await get(`/shifts/${enc(shift_id)}/applications?limit=200`);
  const completed = page.items.some((a) => a.status === "completed");
  const favourite = completed ? { orgId: who.org_id, ids: await favouriteIds(who.org_id) } : null;
  el.append(h("h1", {}, t("applicants_for", { when: shiftText(shift) })), h("p", { class: "muted" }, seatsText(shift)),
    h("p", {}, h("a", { href: `#/jobs/${enc(shift.job_id)}` }, t("back_to_job"))));
  if (page.items.some((a) => a.status === "confirmed")) el.append(await checkInPanel(shift_id)); // check-in at the site
  el.append(page.items.length ? h("ul", { class: "cards" }, page.items.map((a) => applicantCard(a, shift, `#/shifts/${enc(shift_id)}`, favourite))) : empty("no_applicants"));
}

async function webhooks(el, _params, who) {
  el.append(h("h1", {}, t("nav_webhooks")));
  await webhookSection(el, who.org_id);
}

export default {
  nav: [["#/jobs", "nav_my_jobs"], ["#/jobs/new", "post_job"], ["#/favourites", "nav_favourites"], ["#/regular-offers", "nav_regular_offers"],
    ["#/notifications", "nav_notifications"], ["#/webhooks", "nav_webhooks"]],
  routes: [["/jobs", jobs], ["/jobs/new", newJob], ["/jobs/:job_id", job], ["/shifts/:shift_id", applicants], ["/favourites", favouritesScreen],
    ["/regular-offers", employerOffers], ["/notifications", inbox], ["/webhooks", webhooks]],
};
