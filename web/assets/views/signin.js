// Sign-in. AWS: a button to Cognito's hosted sign-in. Local stack: sign in as any role
// through POST /_local/token (a development convenience the local stack alone offers).
import { call } from "../api.js";
import { setToken, startHostedSignIn } from "../auth.js";
import { t } from "../i18n.js";
import { act, field, form, go, h } from "../ui.js";

async function localToken(body) {
  return (await call("POST", "/_local/token", body)).token;
}

/** Organisations and participants to pick from, read with a local admin token. */
async function choices() {
  const admin = await localToken({ role: "admin", sub: "local-signin" });
  const headers = { authorization: `Bearer ${admin}` };
  const read = async (path) => {
    const answer = await fetch(path, { headers });
    return answer.ok ? (await answer.json()).items : [];
  };
  const [orgs, participants] = await Promise.all([read("/organisations?limit=200"), read("/participants?limit=200")]);
  return { orgs, participants };
}

async function screen(el) {
  const cfg = window.tremplinConfig || { auth: "local" };
  el.append(h("h1", {}, t("signin_title")), h("p", { class: "muted" }, t("signin_intro")));
  if (cfg.auth === "cognito") {
    el.append(h("button", { type: "button", onclick: (e) => act(e.target, startHostedSignIn) }, t("signin_button")));
    return;
  }
  const { orgs, participants } = await choices();
  const roleField = field("field_role", "role", {
    options: ["participant", "employer", "caseworker", "admin"].map((r) => [r, t(`role_${r}`)]),
  });
  const orgField = field("field_organisation", "org_id", {
    options: orgs.length ? orgs.map((o) => [o.org_id, o.name]) : [["", t("none_yet")]],
  });
  const participantField = field("field_participant", "participant_id", {
    options: participants.length
      ? participants.map((p) => [p.participant_id, `${p.first_name} ${p.last_name}`])
      : [["", t("none_yet")]],
  });
  const subField = field("field_user_id", "sub", { value: "cw-demo", hint: "hint_user_id" });
  const show = () => {
    const role = roleField.querySelector("select").value;
    orgField.hidden = role !== "employer";
    participantField.hidden = role !== "participant";
    subField.hidden = role === "participant" || role === "employer";
  };
  roleField.querySelector("select").addEventListener("change", show);
  show();
  el.append(
    form({ "aria-label": t("signin_title") }, [
      h("p", { class: "muted" }, t("signin_local")),
      roleField, orgField, participantField, subField,
      h("button", { type: "submit" }, t("signin_button")),
    ], (data, _form, submit) =>
      act(submit, async () => {
        const body = { role: data.role, sub: data.sub || `${data.role}-demo` };
        if (data.role === "employer") Object.assign(body, { org_id: data.org_id, sub: `emp-${data.org_id}` });
        if (data.role === "participant") Object.assign(body, { participant_id: data.participant_id, sub: data.participant_id });
        setToken(await localToken(body));
      }, null, () => go("#/")),
    ),
  );
}

export default { routes: [["/signin", screen]] };
