// Issue 19: contribution months toward unemployment insurance ("n of 12", always an estimate),
// and the caseworker's excuse of a no-show or a late cancellation (coaching, not punishment).
import { post } from "../api.js";
import { formatDate, formatMoney, t } from "../i18n.js";
import { act, field, form, go, h } from "../ui.js";

const REASONS = ["illness", "care_duties", "office_appointment", "transport_failure", "other"];

/** The progress card: "n of 12 contribution months (estimate)", the average monthly gross. */
export function progressCard(p) {
  return h("section", { class: "card", "aria-labelledby": "progress-h", "data-progress": p.contribution_months },
    h("h2", { id: "progress-h" }, t("progress_title")),
    h("p", {}, h("strong", {}, t("progress_months", { n: p.contribution_months, of: p.required_months }))),
    h("p", {}, t("progress_average", { amount: formatMoney(p.average_monthly_gross) })),
    h("p", { class: "muted" }, t("progress_window", { from: formatDate(p.window_from), to: formatDate(p.window_to), days: p.worked_days, shifts: p.completed_shifts })),
    h("p", { class: "muted" }, t("progress_explained")));
}

/** Whether the application is on the reliability record (a no-show or a late cancellation by the participant). */
function isMiss(a) {
  return a.status === "no_show" || (a.status === "cancelled" && a.cancelled_by === "participant" && a.cancelled_late);
}

/** For a row of the caseworker's activity table: the excuse given, or a form to give one. */
export function excuseCell(a, participantId) {
  if (a.excuse) return h("span", { class: "muted" }, t("excused_as", { reason: t(`reason_${a.excuse.reason}`) }));
  if (!isMiss(a)) return "–";
  return form({ "aria-label": t("excuse"), class: "inline" }, [
    field("field_excuse_reason", "reason", { options: REASONS.map((r) => [r, t(`reason_${r}`)]) }),
    h("button", { type: "submit" }, t("excuse")),
  ], (data, _f, submit) => act(submit, () => post(`/applications/${encodeURIComponent(a.application_id)}/excuse`, data), "excuse_ok",
    () => go(`#/participants/${encodeURIComponent(participantId)}`)));
}
