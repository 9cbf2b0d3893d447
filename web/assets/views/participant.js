// The participant, phone first: jobs, applying, offers, hours, pay, inbox, profile.
import { get, patch, post, withQuery } from "../api.js";
import { formatDate, formatDateTime, formatMoney, formatMonth, formatNumber, languageOptions, preferLanguage, t } from "../i18n.js";
import { act, badge, checkbox, empty, field, flash, form, go, h, labelledCell, list, pager } from "../ui.js";
import { checkInLine, checkInScreen } from "./check_in.js";
import { browse, forgetJobs, jobById, jobFacts, seatsText, shiftText } from "./jobs_common.js";
import { inbox } from "./notifications.js";
import { openPdf, papers } from "./papers.js";
import { progressCard } from "./progress.js";
import { calendar } from "./calendar.js"; // calendar feed (issue 20)
import { participantOffers } from "./regular_offers.js";
import { icon } from "./icons.js"; // languages (issue 20)
import { openSmsLink, smsConsentCard } from "./sms.js";

const enc = encodeURIComponent;

async function jobs(el) {
  el.append(h("h1", {}, t("jobs_title")));
  await consentReminder(el);
  await browse(el, (job) => `#/jobs/${enc(job.job_id)}`);
}

async function consentReminder(el) {
  const me = await get("/me");
  if (me.status === "invited") {
    el.append(h("p", { class: "msg ok" }, t("consent_needed"), " ", h("a", { href: "#/profile" }, t("to_profile"))));
  }
}

async function job(el, { job_id }) {
  const [item, mine] = await Promise.all([get(`/jobs/${enc(job_id)}`), get("/me/applications?limit=200")]);
  const appliedTo = new Set(mine.items.filter((a) => a.job_id === job_id).map((a) => a.shift_id));
  el.append(h("h1", {}, item.title), jobFacts(item), h("h2", {}, t("shifts")));
  const shifts = item.shifts.filter((s) => s.status === "open");
  if (!shifts.length) el.append(empty("no_open_shifts"));
  el.append(h("ul", { class: "cards" }, shifts.map((shift) => {
    const note = field("field_message", "message", { type: "textarea", maxlength: 500 });
    return h("li", { class: "card" },
      h("p", {}, h("strong", {}, shiftText(shift))),
      h("p", { class: "muted" }, seatsText(shift)),
      appliedTo.has(shift.shift_id)
        ? h("p", {}, t("already_applied_here"), " ", h("a", { href: "#/applications" }, t("nav_applications")))
        : form({ "aria-label": t("apply_for", { when: shiftText(shift) }) }, [note, h("button", { type: "submit" }, t("apply"))],
          (data, _f, submit) => act(submit, () => post(`/shifts/${enc(shift.shift_id)}/applications`, data.message ? { message: data.message } : {}),
            "applied_ok", () => go("#/applications"))),
    );
  })));
}

// The parts of a shift's pay, in the order they add up to the gross (API.md's pay).
const PAY_PARTS = ["base", "public_holiday", "holiday", "thirteenth_month", "gross"];

function compensationMark(pay) {
  return pay.compensation ? h("span", { class: "badge compensation" }, t("pay_compensation")) : null;
}

function payLines(pay) {
  if (!pay) return null;
  const amounts = Object.fromEntries(PAY_PARTS.map((k) => [k, formatMoney(pay[k])]));
  return h("p", {}, icon("pay"), t("pay_line", { hours: formatNumber(pay.hours), ...amounts }), pay.compensation ? " " : null, compensationMark(pay));
}

function reasonForm(labelKey, buttonKey, onSend, okKey) {
  return form({ "aria-label": t(buttonKey) }, [field(labelKey, "reason", { type: "textarea", required: true, maxlength: 500 }),
    h("button", { type: "submit", class: "secondary" }, t(buttonKey))],
  (data, _f, submit) => act(submit, () => onSend(data.reason), okKey, () => go("#/applications")));
}

export function ratingForm(path, back) {
  return form({ "aria-label": t("rate") }, [
    field("field_stars", "stars", { options: [5, 4, 3, 2, 1].map((n) => [String(n), "★".repeat(n)]) }),
    field("field_comment", "comment", { maxlength: 500 }),
    h("button", { type: "submit", class: "secondary" }, t("rate")),
  ], (data, _f, submit) => act(submit, () => post(path, { stars: Number(data.stars), ...(data.comment ? { comment: data.comment } : {}) }), "rated_ok", () => go(back)));
}

function applicationCard(a, jobItem) {
  const id = enc(a.application_id);
  const button = (key, path, okKey, cls) => h("button", { type: "button", class: cls, onclick: (e) => act(e.target, () => post(`/applications/${id}/${path}`), okKey, () => go("#/applications")) }, t(key));
  const actions = [];
  if (a.status === "applied") actions.push(button("withdraw", "withdraw", "withdrawn_ok", "secondary"));
  if (a.status === "offered") {
    if (a.invited) actions.push(h("p", { class: "invited" }, `★ ${t("invited_again")}`)); // favourites
    actions.push(h("p", { class: "deadline" }, icon("offer"), t("offer_deadline", { when: formatDateTime(a.offer_expires_at) })));
    actions.push(h("div", { class: "row" }, button("confirm", "confirm", "confirmed_ok"), button("decline", "decline", "declined_ok", "danger")));
  }
  if (a.status === "confirmed") {
    actions.push(h("details", {}, h("summary", {}, t("cancel_shift")), reasonForm("field_reason", "cancel_shift", (reason) => post(`/applications/${id}/cancel`, { reason }), "cancelled_ok")));
  }
  if (a.status === "hours_submitted") {
    actions.push(h("p", {}, icon("hours"), t("hours_line", { from: formatDateTime(a.hours.started_at), to: formatDateTime(a.hours.ended_at), pause: a.hours.break_minutes })));
    actions.push(button("approve_hours", "hours/approve", "hours_approved_ok"));
    actions.push(h("details", {}, h("summary", {}, t("dispute_hours")), reasonForm("field_reason", "dispute_hours", (reason) => post(`/applications/${id}/hours/dispute`, { reason }), "disputed_ok")));
  }
  if (a.status === "completed" && !a.rating_by_participant) actions.push(h("details", {}, h("summary", {}, t("rate_employer")), ratingForm(`/applications/${id}/rating`, "#/applications")));
  return h("li", { class: "card", "data-application": a.application_id },
    h("div", { class: "spread" }, h("h3", {}, jobItem ? h("a", { href: `#/jobs/${enc(a.job_id)}` }, jobItem.title) : t("job")), badge(a.status)),
    h("p", {}, shiftText({ starts_at: a.shift_starts_at, ends_at: a.shift_ends_at })),
    checkInLine(a.check_in), // check-in at the site: what was recorded, to compare with the hours
    payLines(a.pay),
    actions,
  );
}

async function applications(el) {
  forgetJobs();
  el.append(h("h1", {}, t("nav_applications")));
  el.append(h("p", {}, h("a", { href: "#/calendar" }, t("calendar_link")))); // calendar feed (issue 20)
  const page = await get("/me/applications?limit=200");
  if (!page.items.length) {
    el.append(empty("no_applications"), h("a", { href: "#/jobs" }, t("find_jobs")));
    return;
  }
  const titles = await Promise.all(page.items.map((a) => jobById(a.job_id)));
  el.append(h("ul", { class: "cards" }, page.items.map((a, i) => applicationCard(a, titles[i]))));
}

// ------------------------------------------------------------------ pay: payslips, then pay per shift

// A payslip's deductions, in the order of the payslip (API.md; the PDF's).
const DEDUCTIONS = ["ahv_iv_eo", "alv", "nbu", "ktg", "gav", "bvg"];

function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.map(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)]));
}

function payslipTitle(payslip) {
  return t("payslip_title", { month: formatMonth(payslip.work_month) });
}

function payslipCard(payslip) {
  return h("li", { class: "card", "data-payslip": payslip.payslip_id },
    h("h3", {}, h("a", { href: `#/pay/${enc(payslip.payslip_id)}` }, payslipTitle(payslip))),
    facts([["payout_date", formatDate(payslip.payout_date)], ["net_pay", h("strong", {}, formatMoney(payslip.net))],
      ["gross_pay", formatMoney(payslip.gross)]]));
}

async function pay(el) {
  el.append(h("h1", {}, t("nav_pay")), h("h2", {}, t("payslips")));
  const slips = h("ul", { class: "cards", "aria-label": t("payslips") });
  const { more, next } = pager((cursor) => get(withQuery("/me/payslips", { cursor })), payslipCard, slips);
  const [first, page, progress] = await Promise.all([next(), get("/me/applications?limit=200"), get("/me/progress")]);
  el.append(progressCard(progress));
  el.append(first.items.length ? slips : empty("no_payslips"), more, h("h2", { id: "pay-shifts-h" }, t("pay_table")));
  const paid = page.items.filter((a) => a.pay && (a.status === "completed" || a.status === "hours_submitted"));
  if (!paid.length) {
    el.append(empty("no_pay"));
    return;
  }
  const total = paid.filter((a) => a.status === "completed").reduce((sum, a) => sum + Number(a.pay.gross), 0);
  // The gross first, where a phone shows it without scrolling; then the parts it is made of.
  const amounts = ["gross", ...PAY_PARTS.filter((k) => k !== "gross")];
  const columns = ["col_shift", "col_hours", ...amounts.map((k) => `col_${k}`)];
  el.append(h("p", {}, h("strong", {}, t("approved_total", { total: formatMoney(total.toFixed(2)) }))),
    // Seven columns are wider than a phone: there each row is a card naming its cells (data-label).
    h("table", { class: "card-rows" }, h("caption", { class: "sr-only" }, t("pay_table")),
      h("thead", {}, h("tr", {}, columns.map((k, i) => h("th", { scope: "col", class: i > 0 ? "num" : null }, t(k))))),
      h("tbody", {}, paid.map((a) => h("tr", {},
        // The shift's status under its date: a column fewer for a phone to show.
        labelledCell(t(columns[0]), {}, formatDateTime(a.shift_starts_at), h("br"), badge(a.status), a.pay.compensation ? h("br") : null, compensationMark(a.pay)),
        labelledCell(t(columns[1]), { class: "num" }, formatNumber(a.pay.hours)),
        amounts.map((k) => labelledCell(t(`col_${k}`), { class: k === "gross" ? "num strong" : "num" }, formatMoney(a.pay[k]))))))),
    h("p", { class: "muted" }, t("pay_explained")));
}

/** One shift (or a late cancellation's compensation) on a payslip: a card, not a table row. */
function payslipLine(line) {
  const parts = Object.fromEntries(PAY_PARTS.map((k) => [k, formatMoney(line[k])]));
  return h("li", { class: "card" },
    h("div", { class: "spread" }, h("h3", {}, line.employer || formatDate(line.shift_date)), compensationMark(line)),
    facts([["field_date", formatDate(line.shift_date)], ["col_hours", formatNumber(line.hours)],
      ["gross_pay", h("strong", {}, formatMoney(line.gross))]]),
    h("p", { class: "muted" }, t("line_parts", parts)));
}

function totalsTable(payslip) {
  const row = (label, amount, cls) => h("tr", { class: cls }, h("th", { scope: "row" }, label), h("td", { class: "num" }, amount));
  const deducted = DEDUCTIONS.reduce((sum, k) => sum + Number(payslip.deductions[k]), 0);
  const minus = (amount) => `− ${formatMoney(amount)}`;
  return h("table", { class: "totals", "aria-labelledby": "totals-h" },
    h("tbody", {},
      row(t("total_hours"), formatNumber(payslip.hours)),
      row(t("gross_pay"), formatMoney(payslip.gross), "strong"),
      DEDUCTIONS.map((k) => row(t(`deduction_${k}`), minus(payslip.deductions[k]), "deduction")),
      row(t("total_deductions"), minus(deducted.toFixed(2))),
      row(t("net_pay"), formatMoney(payslip.net), "net")));
}

async function payslip(el, { payslip_id }) {
  const slip = await get(`/payslips/${enc(payslip_id)}`);
  el.append(h("p", {}, h("a", { href: "#/pay" }, t("all_payslips"))),
    h("h1", {}, payslipTitle(slip)),
    facts([["payout_date", formatDate(slip.payout_date)], ["net_pay", h("strong", {}, formatMoney(slip.net))]]),
    h("button", { type: "button", class: "secondary", onclick: (e) => openPdf(e.currentTarget, `/payslips/${enc(slip.payslip_id)}/pdf`, "pdf_loading") }, t("open_pdf")),
    h("h2", {}, t("payslip_lines")),
    h("ul", { class: "cards" }, slip.lines.map(payslipLine)),
    h("h2", { id: "totals-h" }, t("payslip_totals")),
    totalsTable(slip));
  // The office's figures (income allowance, counted income) are for the caseworker, not here.
  if (slip.withholding_tax) el.append(h("p", { class: "msg info" }, t("withholding_tax_separate")));
}

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

async function profile(el) {
  const me = await get("/me");
  await preferLanguage(me.preferred_language);
  el.append(h("h1", {}, t("nav_profile")), h("p", {}, `${me.first_name} ${me.last_name} `, badge(me.status)));
  if (me.status === "invited") {
    const version = (window.tremplinConfig || {}).consent_version || "2026-01";
    el.append(h("section", { class: "card", "aria-labelledby": "consent-h" },
      h("h2", { id: "consent-h" }, t("consent_title")), h("p", {}, t("consent_text")),
      form({ "aria-label": t("consent_title") }, [checkbox("consent_checkbox", "agree"), h("button", { type: "submit" }, t("give_consent"))],
        (data, _f, submit) => {
          if (!data.agree) return flash("error", t("consent_tick_first"));
          return act(submit, () => post("/me/consent", { version }), "consent_ok", () => go("#/profile"));
        })));
  } else if (me.consent) {
    el.append(h("p", { class: "muted" }, t("consent_given", { version: me.consent.version, when: formatDateTime(me.consent.given_at) })));
  }
  el.append(h("h2", {}, t("my_details")));
  if (me.date_of_birth || me.withholding_tax !== undefined) {
    el.append(h("dl", { class: "facts" },
      me.date_of_birth ? [h("dt", {}, t("field_date_of_birth")), h("dd", {}, formatDate(me.date_of_birth))] : null,
      [h("dt", {}, t("field_withholding_tax")), h("dd", {}, t(me.withholding_tax ? "yes" : "no"))]),
    h("p", { class: "muted" }, t("set_by_caseworker")));
  }
  el.append(form({ "aria-label": t("my_details") }, [
    h("div", { class: "grid2" },
      field("field_preferred_language", "preferred_language", { options: languageOptions(), value: me.preferred_language }),
      field("field_postcode", "postcode", { value: me.postcode, inputmode: "numeric", pattern: "[1-9][0-9]{3}", autocomplete: "postal-code" }),
      field("field_phone", "phone", { type: "tel", value: me.phone, autocomplete: "tel" }),
      field("field_skills", "skills", { value: (me.skills || []).join(", "), hint: "hint_comma" }),
      field("field_languages", "languages", { value: (me.languages || []).join(", "), hint: "hint_languages" })),
    h("fieldset", {}, h("legend", {}, t("field_availability")), h("div", { class: "row" }, WEEKDAYS.map((d) => checkbox(`day_${d}`, `day_${d}`, (me.availability || []).includes(d))))),
    h("button", { type: "submit" }, t("save")),
  ], (data, _f, submit) => act(submit, () => patch("/me", {
    preferred_language: data.preferred_language,
    postcode: data.postcode || undefined,
    phone: data.phone || undefined,
    skills: list(data.skills),
    languages: list(data.languages),
    availability: WEEKDAYS.filter((d) => data[`day_${d}`]),
  }), "saved_ok", (saved) => { preferLanguage(saved.preferred_language); })));
  el.append(smsConsentCard(me)); // SMS (issue 20)
  el.append(h("h2", {}, t("my_data")), h("p", {}, t("export_text")),
    h("button", { type: "button", class: "secondary", onclick: (e) => act(e.target, async () => {
      const data = await get("/me/export");
      const link = h("a", { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" })), download: "tremplin-export.json" });
      document.body.append(link);
      link.click();
      link.remove();
    }, "export_ok") }, t("export")));
}

export default {
  nav: [["#/jobs", "nav_jobs"], ["#/applications", "nav_applications", "offer"], ["#/pay", "nav_pay", "pay"], ["#/papers", "nav_papers"], ["#/regular-offers", "nav_regular_offers", "job_offer"],
    ["#/notifications", "nav_notifications"], ["#/profile", "nav_profile"]],
  routes: [["/jobs", jobs], ["/jobs/:job_id", job], ["/applications", applications], ["/pay", pay], ["/pay/:payslip_id", payslip], ["/notifications", inbox], ["/profile", profile],
    ["/papers", papers], ["/regular-offers", participantOffers],
    // issue 20: the check-in QR code's link, an SMS's short link, the calendar feed
    ["/check-in/:code", checkInScreen], ["/s/:token", openSmsLink], ["/calendar", calendar]],
  onSignIn: async () => preferLanguage((await get("/me")).preferred_language),
};
