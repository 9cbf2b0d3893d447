// Reports: admins request and read every kind; caseworkers read their caseload's part of the
// assistance statement (the earnings report: the payslips paid in a month).
import { get, post } from "../api.js";
import { formatDateTime, formatMoney, formatNumber, formatPercent, t } from "../i18n.js";
import { act, badge, barChart, empty, field, form, go, h, pager } from "../ui.js";

const enc = encodeURIComponent;

function lastMonth() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

function reportCard(r) {
  return h("li", { class: "card" },
    h("div", { class: "spread" }, h("h3", {}, h("a", { href: `#/reports/${enc(r.report_id)}` }, t("report_title", { type: t(`report_${r.type}`), period: r.period }))), badge(r.status)),
    h("p", { class: "muted" }, t("requested_at", { when: formatDateTime(r.requested_at) })));
}

export async function reports(el, _params, who) {
  el.append(h("h1", {}, t("nav_reports")));
  if (who.role === "admin") {
    const orgs = (await get("/organisations?limit=200")).items;
    el.append(form({ "aria-label": t("request_report") }, [
      h("div", { class: "grid2" },
        field("field_report_type", "type", { options: ["earnings", "programme", "employer"].map((k) => [k, t(`report_${k}`)]) }),
        field("field_period", "period", { type: "month", required: true, value: lastMonth() }),
        field("field_organisation", "org_id", { options: [["", t("employer_reports_only")], ...orgs.map((o) => [o.org_id, o.name])] })),
      h("button", { type: "submit" }, t("request_report")),
    ], (data, _f, submit) => act(submit, () => post("/reports", { type: data.type, period: data.period, ...(data.type === "employer" && data.org_id ? { org_id: data.org_id } : {}) }),
      "report_requested_ok", (created) => go(`#/reports/${enc(created.report_id)}`))));
  }
  const listEl = h("ul", { class: "cards" });
  const { more, next } = pager((cursor) => get(`/reports${cursor ? `?cursor=${enc(cursor)}` : ""}`), reportCard, listEl);
  const first = await next();
  el.append(h("h2", {}, t("reports_so_far")), first.items.length ? listEl : empty("no_reports"), more);
}

// The parts of pay a summary may carry, in the order they add up to the gross (API.md's pay).
const PAY_PARTS = ["base", "public_holiday", "holiday", "thirteenth_month", "gross"];
const MONEY = new Set([...PAY_PARTS, "compensation", "wage_cost", "deductions", "net", "income_allowance", "counted_income", "gross_paid", "net_paid"]);
const RATES = new Set(["fill_rate", "no_show_rate", "late_cancellation_rate"]);
// A summary's figures in the order they are read: who, what happened, then the pay as it adds up
// (gross + compensation = wage cost; gross − deductions = net; net − allowance = counted income).
// A figure not named here comes after these, in the API's order.
const ORDER = [
  "org_id", "participants", "payslips", "enrolled", "new_participants", "active", "placed",
  "shifts_posted", "slots_posted", "slots_filled", "fill_rate", "median_hours_to_fill",
  "completed_shifts", "no_shows", "cancellations", "no_show_rate", "late_cancellation_rate",
  "hours", ...PAY_PARTS, "compensation", "wage_cost", "deductions", "net", "income_allowance", "counted_income",
  "gross_paid", "net_paid", "average_rating_of_employers", "average_rating_of_participants",
];
// A statement's totals in bold: what the payslips paid, and what the office counts.
const STRONG = new Set(["net", "counted_income"]);
// Files to read first (they open in a new tab), then the data.
const FILES = ["html", "pdf", "csv", "json"];

function figure(key, value) {
  if (value === null || value === undefined) return "–";
  if (MONEY.has(key)) return formatMoney(value);
  if (RATES.has(key)) return formatPercent(value);
  if (typeof value === "number" || key === "hours") return formatNumber(value);
  return String(value);
}

/** The summary's single figures (not its breakdowns), in ORDER. */
function figures(summary) {
  const rank = (k) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  return Object.entries(summary || {}).filter(([, v]) => typeof v !== "object" || v === null).sort(([a], [b]) => rank(a) - rank(b));
}

/** The pay's parts and their sum (gross; an employer's wage cost), those the summary has. */
function payChart(s, sumKey) {
  const keys = [...PAY_PARTS.filter((k) => k !== "gross"), sumKey].filter((k) => s[k] !== undefined && s[k] !== null);
  return barChart("chart_pay", keys.map((k) => [t(`sum_${k}`), s[k]]), formatMoney);
}

function charts(r) {
  const s = r.summary || {};
  if (r.type === "employer") {
    return [payChart(s, "wage_cost"), barChart("chart_slots", [["slots_posted", s.slots_posted], ["slots_filled", s.slots_filled], ["completed_shifts", s.completed_shifts], ["no_shows", s.no_shows], ["cancellations", s.cancellations]].map(([k, v]) => [t(`sum_${k}`), v]))];
  }
  return [
    barChart("chart_people", [["enrolled", s.enrolled], ["new_participants", s.new_participants], ["active", s.active], ["placed", s.placed]].map(([k, v]) => [t(`sum_${k}`), v])),
    barChart("chart_rates", [...RATES].map((k) => [t(`sum_${k}`), s[k] ?? 0]), formatPercent),
    barChart("chart_exits", Object.entries(s.exits_by_outcome || {}).map(([k, v]) => [t(`outcome_${k}`), v])),
    barChart("chart_slots_by_kind", Object.entries(s.slots_posted_by_kind || {}).map(([k, v]) => [t(`kind_${k}`), v])),
  ];
}

/** The files' links, the readable ones first: the HTML page and the PDF open in a new tab to be
 * read and printed, the data files are downloads. The links are short-lived storage links of
 * another origin, where a browser may ignore `download`: a new tab keeps the app where it was. */
function fileLinks(files) {
  const rank = (f) => (FILES.includes(f.format) ? FILES.indexOf(f.format) : FILES.length);
  return [...files].sort((a, b) => rank(a) - rank(b)).map((f) => h("li", {},
    f.format === "html" || f.format === "pdf"
      ? h("a", { href: f.url, target: "_blank", rel: "noopener" }, t(`open_file_${f.format}`))
      : h("a", { href: f.url, target: "_blank", rel: "noopener", download: "" }, t("download_file", { format: f.format.toUpperCase() }))));
}

export async function report(el, { report_id }, who) {
  const r = await get(`/reports/${enc(report_id)}`);
  el.append(h("div", { class: "spread" }, h("h1", {}, t("report_title", { type: t(`report_${r.type}`), period: r.period })), badge(r.status)));
  if (r.status === "pending") {
    el.append(h("p", {}, t("report_pending")), h("button", { type: "button", class: "secondary", onclick: () => go(`#/reports/${enc(report_id)}`) }, t("refresh")));
    return;
  }
  if (r.status === "failed") {
    el.append(h("p", { class: "msg error" }, t("report_failed")));
    return;
  }
  const rows = figures(r.summary);
  if (!rows.length) {
    el.append(empty("report_empty")); // e.g. a caseworker whose caseload was paid nothing that month
    return;
  }
  if (r.type === "earnings") {
    // The statement: what the payslips paid out in the month come to, and where each one is.
    el.append(h("p", {}, t("statement_explained")),
      h("h2", { id: "totals-h" }, t(who?.role === "caseworker" ? "statement_totals_caseload" : "statement_totals")),
      h("table", { class: "totals", "aria-labelledby": "totals-h" }, h("tbody", {}, rows.map(([k, v]) =>
        h("tr", { class: STRONG.has(k) ? "strong" : null }, h("th", { scope: "row" }, t(`sum_${k}`)), h("td", { class: "num" }, figure(k, v)))))));
  } else {
    el.append(h("table", {}, h("caption", { class: "sr-only" }, t("summary")), h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, t(`sum_${k}`)), h("td", {}, figure(k, v)))))));
    el.append(h("h2", {}, t("charts")), ...charts(r));
  }
  el.append(h("h2", {}, t("files")), h("ul", {}, fileLinks(r.files || [])));
}
