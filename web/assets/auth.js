// Who is signed in. In AWS: Cognito's hosted sign-in (authorization code + PKCE), keeping the
// ID token (it carries the groups and custom:org_id / custom:participant_id the API reads).
// In the local stack: a token from POST /_local/token, or one handed over in the URL fragment
// (#token=<JWT>). Only there: in AWS such a link would sign its reader in as whoever's token it
// carries (login CSRF), so the fragment counts only when config.json says "local".
// Kept in sessionStorage: it dies with the tab and never reaches another site.
const KEY = "tremplin.token";
const VERIFIER = "tremplin.pkce";
const ROLES = ["admin", "caseworker", "employer", "participant"];

let config = {};

export function configure(cfg) {
  config = cfg;
}

export function token() {
  const value = sessionStorage.getItem(KEY);
  if (!value) return null;
  const c = decode(value);
  if (!c || (c.exp && c.exp * 1000 < Date.now())) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return value;
}

export function setToken(value) {
  sessionStorage.setItem(KEY, value);
}

function decode(jwt) {
  try {
    const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
  } catch {
    return null;
  }
}

/** {role, sub, org_id, participant_id} of the signed-in user, or null. */
export function caller() {
  const value = token();
  if (!value) return null;
  const c = decode(value);
  const groups = Array.isArray(c["cognito:groups"]) ? c["cognito:groups"] : String(c["cognito:groups"] || "").split(/[ ,]/);
  const role = ROLES.find((r) => groups.includes(r));
  if (!role) return null;
  return { role, sub: c.sub, org_id: c["custom:org_id"] || null, participant_id: c["custom:participant_id"] || null };
}

/** Take a token from "#token=<JWT>" (local stack only) and forget the fragment, so it is not left in history. */
export function takeTokenFromFragment() {
  const match = /^#token=([\w.-]+)/.exec(location.hash);
  if (!match) return false;
  history.replaceState(null, "", `${location.pathname}${location.search}#/`);
  if (config.auth !== "local") return false;
  setToken(match[1]);
  return true;
}

export function signOut({ expired = false } = {}) {
  sessionStorage.removeItem(KEY);
  if (config.auth === "cognito" && !expired) {
    const url = new URL(`${config.cognito.domain}/logout`);
    url.searchParams.set("client_id", config.cognito.client_id);
    url.searchParams.set("logout_uri", `${location.origin}/`);
    location.assign(url);
    return;
  }
  location.hash = "#/signin";
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

// ------------------------------------------------------------------ Cognito hosted sign-in

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function startHostedSignIn() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(48)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(VERIFIER, JSON.stringify({ verifier, state }));
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const url = new URL(`${config.cognito.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code", client_id: config.cognito.client_id, redirect_uri: `${location.origin}/`,
    scope: "openid email profile", code_challenge_method: "S256", code_challenge: challenge, state,
  }).toString();
  location.assign(url);
}

/** Back from the hosted sign-in with ?code=…&state=…: trade the code for tokens. */
export async function finishHostedSignIn() {
  const params = new URLSearchParams(location.search);
  if (config.auth !== "cognito" || !params.get("code")) return false;
  const saved = JSON.parse(sessionStorage.getItem(VERIFIER) || "{}");
  sessionStorage.removeItem(VERIFIER);
  history.replaceState(null, "", `${location.pathname}#/`);
  if (!saved.state || saved.state !== params.get("state")) return false;
  const answer = await fetch(`${config.cognito.domain}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", client_id: config.cognito.client_id, code: params.get("code"),
      redirect_uri: `${location.origin}/`, code_verifier: saved.verifier,
    }),
  });
  if (!answer.ok) return false;
  setToken((await answer.json()).id_token);
  return true;
}
