// The first sign-in of a caseworker or admin without an authenticator app: the sign-in trigger
// left the staff group out of the token (README "Security and privacy"). The app is set up here
// with Cognito's own self-service calls and the sign-in's access token; then the user signs in
// again, Cognito asks for the app's code from then on, and the token carries the staff group.
import * as auth from "../auth.js";
import { t } from "../i18n.js";
import { clearFlash, field, flash, form, h } from "../ui.js";

// One key per sign-in: a new one on every showing of the screen would void an app already set.
let secret = null;

const MESSAGES = {
  CodeMismatchException: "mfa_code_wrong",
  EnableSoftwareTokenMFAException: "mfa_code_wrong",
  NotAuthorizedException: "mfa_session_over",
};

function failed(err) {
  flash("error", t(MESSAGES[err.code] || "mfa_failed"));
}

function signInAgain() {
  return h("button", { type: "button", onclick: () => auth.signOut() }, t("sign_in_again"));
}

/** The key as the app asks for it, in groups of four: "JBSW Y3DP EHPK 3PXP". */
export function grouped(key) {
  return String(key).match(/.{1,4}/g).join(" ");
}

/** The link an authenticator app on this device opens (Key URI Format). */
export function otpauthLink(key, email) {
  return `otpauth://totp/Tremplin:${encodeURIComponent(email)}?secret=${encodeURIComponent(key)}&issuer=Tremplin`;
}

async function confirm(el, code, submit) {
  submit.disabled = true;
  clearFlash();
  try {
    await auth.cognito("VerifySoftwareToken", { UserCode: code.replace(/\s/g, ""), FriendlyDeviceName: "Tremplin" });
    await auth.cognito("SetUserMFAPreference", { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    // This sign-in was had without a code: end its refresh token (and every other session) too.
    await auth.cognito("GlobalSignOut").catch(() => {});
    secret = null;
    el.replaceChildren(h("h1", {}, t("mfa_done_title")), h("p", {}, t("mfa_done_text")), signInAgain());
  } catch (err) {
    failed(err);
  } finally {
    if (submit.isConnected) submit.disabled = false;
  }
}

async function screen(el) {
  if (auth.secondFactorPending() === "unchecked") {
    el.append(h("h1", {}, t("mfa_unchecked_title")), h("p", {}, t("mfa_unchecked_text")), signInAgain());
    return;
  }
  el.append(h("h1", {}, t("mfa_setup_title")), h("p", {}, t("mfa_setup_intro")));
  try {
    secret ??= (await auth.cognito("AssociateSoftwareToken")).SecretCode;
  } catch (err) {
    failed(err);
    el.append(signInAgain());
    return;
  }
  el.append(
    h("ol", {},
      h("li", {}, t("mfa_step_app")),
      h("li", {}, t("mfa_step_key"), h("p", { class: "secret" }, h("code", {}, grouped(secret))),
        h("a", { href: otpauthLink(secret, auth.email() || "") }, t("mfa_open_in_app"))),
      h("li", {}, t("mfa_step_code"))),
    form({ "aria-label": t("mfa_setup_title") }, [
      field("field_mfa_code", "code", { required: true, inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9 ]{6,7}" }),
      h("button", { type: "submit" }, t("mfa_confirm")),
    ], (data, _form, submit) => confirm(el, String(data.code || ""), submit)),
  );
}

export default { nav: [], routes: [["/authenticator", screen]] };
