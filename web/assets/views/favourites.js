// Favourites (employer): participants the organisation worked with, marked to book them again;
// invitations to a shift (an offer the participant confirms or declines); the toggle on a
// completed applicant's card. Cards only: never case data.
import { call, get, put } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { act, empty, field, form, go, h } from "../ui.js";
import { shiftText } from "./jobs_common.js";

const enc = encodeURIComponent;
const favouritesPath = (orgId) => `/organisations/${enc(orgId)}/favourites`;

/** The organisation's favourites' participant ids (the first 200: a toggle needs no more). */
export async function favouriteIds(orgId) {
  try {
    const page = await get(`${favouritesPath(orgId)}?limit=200`);
    return new Set(page.items.map((f) => f.participant_id));
  } catch {
    return new Set(); // the toggle then offers to mark; marking again changes nothing
  }
}

/** Mark or unmark a participant the organisation completed work with; `back`: the screen to reload. */
export function favouriteToggle(orgId, participantId, isFavourite, back) {
  const path = `${favouritesPath(orgId)}/${enc(participantId)}`;
  return isFavourite
    ? h("div", { class: "row" }, h("span", { class: "badge favourite" }, `★ ${t("is_favourite")}`),
      h("button", { type: "button", class: "secondary", onclick: (e) => act(e.target, () => call("DELETE", path), "favourite_removed_ok", () => go(back)) }, t("unmark_favourite")))
    : h("button", { type: "button", class: "secondary", onclick: (e) => act(e.target, () => put(path), "favourite_marked_ok", () => go(back)) }, `☆ ${t("mark_favourite")}`);
}

/** The organisation's open shifts that have not started: what a favourite can be invited to. */
async function invitableShifts() {
  const page = await get("/jobs?limit=200");
  const now = new Date().toISOString();
  return page.items.filter((job) => job.status === "open").flatMap((job) => job.shifts
    .filter((s) => s.status === "open" && s.starts_at > now && s.filled < s.slots)
    .map((s) => [s.shift_id, `${job.title} · ${shiftText(s)}`]));
}

function favouriteCard(orgId, f, shifts) {
  const p = f.applicant;
  const invite = shifts.length
    ? form({ "aria-label": t("invite_to_shift") }, [
      field("field_invite_shift", "shift_id", { options: shifts }),
      h("button", { type: "submit" }, t("invite")),
    ], (data, _f, submit) => act(submit, () => call("POST", `/shifts/${enc(data.shift_id)}/invitations`, { participant_id: f.participant_id }), "invitation_sent_ok", () => go(`#/shifts/${enc(data.shift_id)}`)))
    : h("p", { class: "muted" }, t("no_shift_to_invite"));
  return h("li", { class: "card", "data-favourite": f.participant_id },
    h("div", { class: "spread" }, h("h3", {}, `${p.first_name} ${p.last_initial}`), h("span", { class: "badge favourite" }, "★")),
    h("p", { class: "muted" }, t("card_facts", { shifts: p.completed_shifts, no_shows: p.no_show_count, rating: p.average_rating ?? "–" })),
    p.skills.length ? h("p", {}, h("strong", {}, t("field_skills")), " ", p.skills.join(", ")) : null,
    f.favourited_at ? h("p", { class: "muted" }, t("favourite_since", { when: formatDateTime(f.favourited_at) })) : null,
    h("details", {}, h("summary", {}, t("invite_to_shift")), invite),
    favouriteToggle(orgId, f.participant_id, true, "#/favourites"),
  );
}

export async function favouritesScreen(el, _params, who) {
  el.append(h("h1", {}, t("nav_favourites")), h("p", { class: "muted" }, t("favourites_intro")));
  const [page, shifts] = await Promise.all([get(`${favouritesPath(who.org_id)}?limit=200`), invitableShifts()]);
  el.append(page.items.length ? h("ul", { class: "cards" }, page.items.map((f) => favouriteCard(who.org_id, f, shifts))) : empty("no_favourites"));
}
