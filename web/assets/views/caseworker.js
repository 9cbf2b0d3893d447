// The caseworker: own caseload, enrolment, a participant's activity, job suggestions, exits,
// earnings reports of the caseload, and the inbox.
import { get, patch, post } from "../api.js";
import { formatDate, formatDateTime, formatMoney, languageOptions, t } from "../i18n.js";
import { act, badge, checkbox, empty, field, form, go, h, labelledCell, list, pager } from "../ui.js";
import { browse, jobFacts, seatsText, shiftText } from "./jobs_common.js";
import { inbox, notificationList } from "./notifications.js";
import { staffConfirmation } from "./papers.js";
import { excuseCell, progressCard } from "./progress.js";
import { report, reports } from "./reports.js";
import { participantOffersSection } from "./regular_offers.js";

const enc = encodeURIComponent;

export function participantCard(p) {
  return h("li", { class: "card" },
    h("div", { class: "spread" }, h("h3", {}, h("a", { href: `#/participants/${enc(p.participant_id)}` }, `${p.first_name} ${p.last_name}`)), badge(p.status)),
    h("p", { class: "muted" }, `${t("field_case_reference")}: ${p.case_reference} · ${p.postcode || ""}`));
}

async function caseload(el) {
  el.append(h("div", { class: "spread" }, h("h1", {}, t("nav_caseload")), h("a", { href: "#/participants/new" }, t("enrol"))));
  const listEl = h("ul", { class: "cards" });
  const { more, next } = pager((cursor) => get(`/participants${cursor ? `?cursor=${enc(cursor)}` : ""}`), participantCard, listEl);
  const first = await next();
  el.append(first.items.length ? listEl : empty("no_participants"), more);
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

function yearsAgo(n) {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - n);
  return d.toISOString().slice(0, 10);
}

/** Date of birth and withholding tax, the pay's facts about the person, kept by the caseworker. */
function payFactsForm(p, id) {
  return h("details", {}, h("summary", {}, t("edit_pay_facts")), form({ "aria-label": t("edit_pay_facts") }, [
    field("field_date_of_birth", "date_of_birth", { type: "date", value: p.date_of_birth || "", min: yearsAgo(100), max: today(), hint: "hint_date_of_birth" }),
    checkbox("field_withholding_tax", "withholding_tax", Boolean(p.withholding_tax)),
    h("button", { type: "submit", class: "secondary" }, t("save")),
  ], (data, _f, submit) => act(submit, () => patch(`/participants/${id}`, {
    ...(data.date_of_birth ? { date_of_birth: data.date_of_birth } : {}), withholding_tax: Boolean(data.withholding_tax),
  }), "saved_ok", () => go(`#/participants/${id}`))));
}

export function enrolForm(extra = []) {
  return form({ "aria-label": t("enrol") }, [
    h("div", { class: "grid2" },
      field("field_first_name", "first_name", { required: true, autocomplete: "off" }),
      field("field_last_name", "last_name", { required: true }),
      field("field_email", "email", { type: "email" }),
      field("field_phone", "phone", { type: "tel", hint: "hint_phone" }),
      field("field_postcode", "postcode", { required: true, inputmode: "numeric" }),
      field("field_preferred_language", "preferred_language", { options: languageOptions() }),
      field("field_languages", "languages", { hint: "hint_languages" }),
      field("field_skills", "skills", { hint: "hint_comma" }),
      field("field_weekly_hours_limit", "weekly_hours_limit", { type: "number", min: 1, max: 60 }),
      field("field_case_reference", "case_reference", { required: true }),
      field("field_date_of_birth", "date_of_birth", { type: "date", min: yearsAgo(100), max: today(), hint: "hint_date_of_birth" }),
      ...extra),
    checkbox("field_withholding_tax", "withholding_tax"),
    h("button", { type: "submit" }, t("enrol")),
  ], (data, _f, submit) => act(submit, () => post("/participants", {
    first_name: data.first_name, last_name: data.last_name, email: data.email || undefined, phone: data.phone || undefined,
    postcode: data.postcode, preferred_language: data.preferred_language, languages: list(data.languages), skills: list(data.skills),
    weekly_hours_limit: data.weekly_hours_limit ? Number(data.weekly_hours_limit) : undefined,
    case_reference: data.case_reference, caseworker_id: data.caseworker_id || undefined,
    date_of_birth: data.date_of_birth || undefined, withholding_tax: Boolean(data.withholding_tax),
  }), "enrolled_ok", (created) => go(`#/participants/${enc(created.participant_id)}`)));
}

async function enrol(el) {
  el.append(h("h1", {}, t("enrol")), enrolForm());
}

async function suggestForm(participantId) {
  const open = await get("/jobs?limit=100");
  if (!open.items.length) return empty("no_jobs");
  return form({ "aria-label": t("suggest_job") }, [
    field("field_job", "job_id", { options: open.items.map((j) => [j.job_id, `${j.title} · ${j.city}`]) }),
    field("field_note", "note", { type: "textarea", maxlength: 500 }),
    h("button", { type: "submit", class: "secondary" }, t("suggest_job")),
  ], (data, _f, submit) => act(submit, () => post(`/participants/${enc(participantId)}/suggestions`, { job_id: data.job_id, ...(data.note ? { note: data.note } : {}) }), "suggested_ok"));
}

export async function participant(el, { participant_id }, who) {
  const id = enc(participant_id);
  const [p, activity, progress] = await Promise.all([get(`/participants/${id}`), get(`/participants/${id}/activity`), get(`/participants/${id}/progress`)]);
  el.append(h("div", { class: "spread" }, h("h1", {}, `${p.first_name} ${p.last_name}`), badge(p.status)),
    h("div", { class: "card" },
      h("p", {}, `${t("field_case_reference")}: ${p.case_reference}`),
      h("p", {}, [p.email, p.phone, p.postcode].filter(Boolean).join(" · ")),
      p.skills?.length ? h("p", {}, `${t("field_skills")}: ${p.skills.join(", ")}`) : null,
      h("p", {}, `${t("field_date_of_birth")}: ${p.date_of_birth ? formatDate(p.date_of_birth) : "–"} · ${t("field_withholding_tax")}: ${t(p.withholding_tax ? "yes" : "no")}`),
      p.exit ? h("p", {}, t("exit_line", { outcome: t(`outcome_${p.exit.outcome}`), date: p.exit.date })) : null));
  if (p.status === "active" || p.status === "invited") el.append(payFactsForm(p, id));
  if (who.role === "caseworker" && p.status === "active") {
    el.append(h("h2", {}, t("suggest_job")), await suggestForm(participant_id));
  } else if (p.status === "invited") {
    el.append(h("p", { class: "muted" }, t("waiting_for_consent")));
  }
  if (p.status !== "erased") el.append(...staffConfirmation(participant_id)); // papers for the next step
  el.append(progressCard(progress));
  el.append(h("h2", {}, t("activity")));
  const earned = activity.applications.filter((a) => a.status === "completed" && a.pay).reduce((s, a) => s + Number(a.pay.gross), 0);
  el.append(h("p", {}, t("earned_total", { total: formatMoney(earned.toFixed(2)) })));
  const columns = ["col_shift", "col_status", "col_gross", "col_reliability"];
  const cell = (i, content) => labelledCell(t(columns[i]), {}, content); // a card on a phone
  el.append(activity.applications.length ? h("table", { class: "card-rows" }, h("thead", {}, h("tr", {}, columns.map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", {}, activity.applications.map((a) => h("tr", {}, cell(0, formatDateTime(a.shift_starts_at)), cell(1, badge(a.status)), cell(2, a.pay ? formatMoney(a.pay.gross) : "–"), cell(3, excuseCell(a, participant_id))))))
    : empty("no_activity"));
  el.append(await participantOffersSection(participant_id)); // the step to a regular job
  if (activity.notifications.length) {
    el.append(h("h3", {}, t("nav_notifications")), notificationList(activity.notifications));
  }
  if (p.status === "active" || p.status === "invited") {
    el.append(h("details", {}, h("summary", {}, t("record_exit")), form({ "aria-label": t("record_exit") }, [
      field("field_outcome", "outcome", { options: ["regular_employment", "training", "moved_away", "other"].map((o) => [o, t(`outcome_${o}`)]) }),
      field("field_date", "date", { type: "date", required: true }),
      h("button", { type: "submit", class: "danger" }, t("record_exit")),
    ], (data, _f, submit) => act(submit, () => post(`/participants/${id}/exit`, data), "exit_ok", () => go(`#/participants/${id}`)))));
  }
}

async function jobs(el) {
  el.append(h("h1", {}, t("jobs_title")));
  await browse(el, (job) => `#/jobs/${enc(job.job_id)}`);
}

async function job(el, { job_id }) {
  const item = await get(`/jobs/${enc(job_id)}`);
  el.append(h("h1", {}, item.title), jobFacts(item), h("h2", {}, t("shifts")),
    h("ul", { class: "cards" }, item.shifts.map((s) => h("li", { class: "card" }, h("p", {}, shiftText(s)), h("p", { class: "muted" }, seatsText(s))))));
}

export default {
  nav: [["#/participants", "nav_caseload"], ["#/participants/new", "enrol"], ["#/jobs", "nav_jobs"], ["#/reports", "nav_reports"], ["#/notifications", "nav_notifications"]],
  routes: [["/participants", caseload], ["/participants/new", enrol], ["/participants/:participant_id", participant],
    ["/jobs", jobs], ["/jobs/:job_id", job], ["/reports", reports], ["/reports/:report_id", report], ["/notifications", inbox]],
};
