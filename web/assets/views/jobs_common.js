// Pieces every role's job screens share: cards, shift lines, the browse filters.
import { get, withQuery } from "../api.js";
import { formatDateTime, formatMoney, formatTime, t, zurichLocalToIso } from "../i18n.js";
import { badge, field, form, h, pager } from "../ui.js";

export const CATEGORIES = ["cleaning", "gardening", "kitchen", "logistics", "retail", "events", "care", "construction", "office", "delivery", "other"];

export function categoryOptions(withAny = false) {
  const options = CATEGORIES.map((c) => [c, t(`category_${c}`)]);
  return withAny ? [["", t("any_category")], ...options] : options;
}

export function shiftText(shift) {
  return `${formatDateTime(shift.starts_at)} – ${formatTime(shift.ends_at)}`;
}

export function seatsText(shift) {
  return t("seats_left", { left: Math.max(0, shift.slots - shift.filled), slots: shift.slots });
}

export function jobCard(job, href) {
  const shifts = job.shifts || [];
  return h("li", { class: "card" },
    h("div", { class: "spread" }, h("h3", {}, h("a", { href }, job.title)), job.status ? badge(job.status) : null),
    h("p", { class: "muted" }, `${t(`category_${job.category}`)} · ${job.postcode || job.location?.postcode} ${job.city || job.location?.city}`),
    h("p", {}, t("wage_per_hour", { wage: formatMoney(job.hourly_wage) })),
    shifts.length ? h("p", {}, t("next_shift", { when: shiftText(shifts[0]) }), shifts.length > 1 ? ` (+${shifts.length - 1})` : "") : null,
  );
}

/** Browse filters + a paged list of open jobs; `href(job)` says where a card leads. */
export async function browse(el, href) {
  const params = Object.fromEntries(new URLSearchParams(location.hash.split("?")[1] || ""));
  const list = h("ul", { class: "cards", "aria-label": t("jobs_found") });
  const filters = form({ class: "filters", role: "search", "aria-label": t("filter_jobs") }, [
    field("field_category", "category", { options: categoryOptions(true), value: params.category || "" }),
    field("field_postcode_prefix", "postcode", { value: params.postcode, inputmode: "numeric", pattern: "[0-9]{1,4}" }),
    field("field_from", "from", { type: "date", value: params.from }),
    field("field_to", "to", { type: "date", value: params.to }),
    h("button", { type: "submit", class: "secondary" }, t("filter")),
  ], (data) => {
    const query = new URLSearchParams(Object.entries(data).filter(([, v]) => v)).toString();
    location.hash = `${location.hash.split("?")[0]}${query ? `?${query}` : ""}`;
  });
  const query = {
    category: params.category,
    postcode: params.postcode,
    from: params.from ? zurichLocalToIso(`${params.from}T00:00`) : undefined,
    to: params.to ? zurichLocalToIso(`${params.to}T23:59`) : undefined,
  };
  const { more, next } = pager((cursor) => get(withQuery("/jobs", { ...query, cursor })), (job) => jobCard(job, href(job)), list);
  const first = await next();
  el.append(filters, first.items.length ? list : h("p", { class: "muted" }, t("no_jobs")), more);
}

export function jobFacts(job) {
  return h("div", { class: "card" },
    h("p", {}, job.description),
    h("p", {}, h("strong", {}, t("field_hourly_wage")), " ", formatMoney(job.hourly_wage)),
    h("p", {}, h("strong", {}, t("field_location")), " ", `${job.location.street}, ${job.location.postcode} ${job.location.city}`),
    job.requirements?.skills?.length ? h("p", {}, h("strong", {}, t("field_skills")), " ", job.requirements.skills.join(", ")) : null,
    job.requirements?.languages?.length ? h("p", {}, h("strong", {}, t("field_languages")), " ", job.requirements.languages.join(", ")) : null,
  );
}

const jobs = new Map();

/** A job by id, fetched once per screen visit set (applications list several of the same). */
export function jobById(jobId) {
  if (!jobs.has(jobId)) jobs.set(jobId, get(`/jobs/${encodeURIComponent(jobId)}`).catch(() => null));
  return jobs.get(jobId);
}

export function forgetJobs() {
  jobs.clear();
}
