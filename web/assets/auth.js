// Who is signed in. In AWS: Cognito's hosted sign-in (authorization code + PKCE), keeping the
// ID token (it carries the groups and custom:org_id / custom:participant_id the API reads) and
// the access token, for Cognito's own self-service calls only (the authenticator app's set-up;
// the API refuses it).
// In the local stack: a token from POST /_local/token, or one handed over in the URL fragment
// (#token=<JWT>). Only there: in AWS such a link would sign its reader in as whoever's token it
// carries (login CSRF), so the fragment counts only when config.json says "local".
// Kept in sessionStorage: it dies with the tab and never reaches another site.
import { forgetOfflineData } from "./offline.js"; // offline tolerance (issue 20)

const KEY = "tremplin.token";
const VERIFIER = "tremplin.pkce";
const ACCESS = "tremplin.access";
// The sign-in trigger's marks on a caseworker's or admin's ID token (tremplin.identity).
const SETUP_REQUIRED = "tremplin:mfa_setup_required";
const CHECK_FAILED = "tremplin:mfa_check_failed";
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
    sessionStorage.removeItem(ACCESS); // issued with it, expires with it
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
  if (c[SETUP_REQUIRED] || c[CHECK_FAILED]) return null; // no role until the second factor is settled
  const groups = Array.isArray(c["cognito:groups"]) ? c["cognito:groups"] : String(c["cognito:groups"] || "").split(/[ ,]/);
  const role = ROLES.find((r) => groups.includes(r));
  if (!role) return null;
  return { role, sub: c.sub, org_id: c["custom:org_id"] || null, participant_id: c["custom:participant_id"] || null };
}

/**
 * What a caseworker or admin must do before their role counts: "setup" (no authenticator app yet),
 * "unchecked" (the app could not be checked at sign-in: sign in again), or null.
 */
export function secondFactorPending() {
  const value = token();
  const c = value ? decode(value) : null;
  if (c && c[SETUP_REQUIRED]) return "setup";
  if (c && c[CHECK_FAILED]) return "unchecked";
  return null;
}

/** The signed-in user's e-mail address (the ID token's), or null. */
export function email() {
  const value = token();
  return (value && decode(value)?.email) || null;
}

export class CognitoError extends Error {
  constructor(code) {
    super(code);
    this.code = code; // Cognito's exception name, e.g. "CodeMismatchException"; "network"
  }
}

/** One of Cognito's self-service calls (AssociateSoftwareToken, …) with the sign-in's access token. */
export async function cognito(operation, body = {}) {
  const region = config.cognito && config.cognito.region;
  const answer = await fetch(`https://cognito-idp.${region}.amazonaws.com/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify({ AccessToken: sessionStorage.getItem(ACCESS), ...body }),
  }).catch(() => null);
  if (!answer) throw new CognitoError("network");
  const data = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new CognitoError(String(data.__type || `http_${answer.status}`).split("#").pop());
  return data;
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
  forgetOfflineData(); // offline tolerance (issue 20): the signed-out user's stored answers go
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ACCESS);
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
    scope: "openid email profile aws.cognito.signin.user.admin", code_challenge_method: "S256", code_challenge: challenge, state,
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
  const tokens = await answer.json();
  setToken(tokens.id_token);
  if (tokens.access_token) sessionStorage.setItem(ACCESS, tokens.access_token);
  return true;
}
