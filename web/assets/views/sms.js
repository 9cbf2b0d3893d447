// SMS (issue 20): the participant's consent to SMS on the profile, and the short link an SMS
// carries (#/s/<token>), which the API checks before the app opens the screen it names.
import { get, patch } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { act, checkbox, form, go, h } from "../ui.js";

export function smsConsentCard(me) {
  const status = me.sms_consent
    ? t("sms_consent_since", { when: formatDateTime(me.sms_consent_given_at) })
    : t(me.phone ? "sms_consent_off" : "sms_needs_phone");
  return h("section", { class: "card", "aria-labelledby": "sms-h" },
    h("h2", { id: "sms-h" }, t("sms_title")), h("p", {}, t("sms_text")), h("p", { class: "muted" }, status),
    form({ "aria-label": t("sms_title") }, [checkbox("sms_consent_checkbox", "sms_consent", Boolean(me.sms_consent)),
      h("button", { type: "submit" }, t("save"))],
    (data, _f, submit) => act(submit, () => patch("/me", { sms_consent: Boolean(data.sms_consent) }), "saved_ok",
      () => go("#/profile"))));
}

export async function openSmsLink(el, params) {
  try {
    const link = await get(`/me/links/${encodeURIComponent(params.token)}`);
    history.replaceState(null, "", `#${link.path}`); // the link itself stays out of the history
    window.dispatchEvent(new Event("tremplin:refresh"));
  } catch (err) {
    if (err.status !== 404) throw err;
    el.append(h("h1", {}, t("sms_link_title")), h("p", { class: "msg error" }, t("sms_link_invalid")),
      h("p", {}, h("a", { href: "#/applications" }, t("nav_applications"))));
  }
}
