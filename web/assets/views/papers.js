// Papers for the next step: the work confirmation (art. 330a OR) for a period, and the employers'
// references a participant includes in it or leaves out; the caseworker's download and the
// employer's reference form use the same parts.
import { get, getFile, post, put, withQuery } from "../api.js";
import { t } from "../i18n.js";
import { act, empty, field, form, go, h } from "../ui.js";
import { jobById, shiftText } from "./jobs_common.js";

const enc = encodeURIComponent;

/**
 * A PDF the API answers, in a new tab (read with the bearer token, shown from a Blob URL; a plain
 * link would have no token). The tab opens on the click itself: a phone's browser lets a click
 * open a tab, not a later answer. Also the payslip's PDF (participant.js).
 */
export async function openPdf(button, path, loading = "paper_loading") {
  const tab = window.open("", "_blank");
  if (tab) {
    tab.opener = null;
    tab.document.title = t(loading);
    tab.document.body?.append(t(loading));
  }
  await act(button, async () => {
    try {
      const url = URL.createObjectURL(await getFile(path, "application/pdf"));
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      if (tab && !tab.closed) {
        tab.location.href = url;
      } else {
        const link = h("a", { href: url, target: "_blank" });
        document.body.append(link);
        link.click();
        link.remove();
      }
    } catch (err) {
      tab?.close();
      throw err;
    }
  });
}

/** The period form and its download button; `path` is /me/work-confirmation or a participant's. */
export function confirmationForm(path) {
  return form({ "aria-label": t("work_confirmation") }, [
    h("div", { class: "grid2" },
      field("field_from", "from", { type: "date", hint: "hint_confirmation_from" }),
      field("field_to", "to", { type: "date", hint: "hint_confirmation_to" })),
    h("button", { type: "submit" }, t("download_confirmation")),
  ], (data, _f, submit) => openPdf(submit, withQuery(path, { from: data.from, to: data.to })));
}

function referenceCard(a, jobItem) {
  const id = enc(a.application_id);
  const choice = a.reference.included ? "exclude" : "include";
  return h("li", { class: "card", "data-reference": a.application_id },
    h("div", { class: "spread" }, h("h3", {}, jobItem ? jobItem.title : t("job")),
      h("span", { class: "badge" }, t(a.reference.included ? "reference_included" : "reference_excluded"))),
    h("p", { class: "muted" }, shiftText({ starts_at: a.shift_starts_at, ends_at: a.shift_ends_at })),
    h("blockquote", {}, a.reference.text),
    h("button", { type: "button", class: a.reference.included ? "secondary" : null,
      onclick: (e) => act(e.target, () => post(`/applications/${id}/reference/${choice}`), `reference_${choice}d_ok`, () => go("#/papers")) },
    t(`reference_${choice}`)));
}

/** The participant's screen (#/papers): the confirmation for a period, the references to choose. */
export async function papers(el) {
  el.append(h("h1", {}, t("nav_papers")),
    h("h2", {}, t("work_confirmation")), h("p", {}, t("work_confirmation_explained")),
    confirmationForm("/me/work-confirmation"),
    h("h2", {}, t("references")), h("p", { class: "muted" }, t("references_explained")));
  const page = await get("/me/applications?limit=200");
  const written = page.items.filter((a) => a.reference);
  if (!written.length) {
    el.append(empty("no_references"));
    return;
  }
  const jobs = await Promise.all(written.map((a) => jobById(a.job_id)));
  el.append(h("ul", { class: "cards" }, written.map((a, i) => referenceCard(a, jobs[i]))));
}

/** The employer's reference on a completed application (written or rewritten). */
export function referenceForm(a, back) {
  const path = `/applications/${enc(a.application_id)}/reference`;
  return h("details", {},
    h("summary", {}, t(a.reference ? "reference_rewrite" : "reference_write")),
    form({ "aria-label": t("reference_write") }, [
      h("p", { class: "muted" }, t("reference_hint")),
      field("field_reference", "text", { type: "textarea", required: true, maxlength: 1000, value: a.reference?.text }),
      h("button", { type: "submit", class: "secondary" }, t("reference_save")),
    ], (data, _f, submit) => act(submit, () => put(path, { text: data.text }), "reference_saved_ok", () => go(back))));
}

/** The caseworker's download on the participant's page. */
export function staffConfirmation(participantId) {
  return [h("h2", {}, t("work_confirmation")), h("p", { class: "muted" }, t("work_confirmation_staff")),
    confirmationForm(`/participants/${enc(participantId)}/work-confirmation`)];
}
