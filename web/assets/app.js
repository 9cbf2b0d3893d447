// Boot and hash router: one screen per route, chosen by the signed-in user's role.
import { setApiBase } from "./api.js";
import * as auth from "./auth.js";
import { initialLanguage, languageList, setLanguage, t } from "./i18n.js";
import { registerOffline } from "./offline.js"; // offline tolerance (issue 20)
import { clearFlashOnNavigation, h, matchRoute, setScreens, showError } from "./ui.js";
import admin from "./views/admin.js";
import authenticator from "./views/authenticator.js";
import caseworker from "./views/caseworker.js";
import employer from "./views/employer.js";
import participant from "./views/participant.js";
import signin from "./views/signin.js";
import { icon } from "./views/icons.js"; // languages (issue 20): pictures beside some entries

const SCREENS = { participant, employer, caseworker, admin };
const AFTER_SIGN_IN = "tremplin.after_sign_in"; // check-in at the site
const view = () => document.getElementById("view");
const SMS_LINK = "tremplin.sms_link"; // SMS (issue 20)

function renderNav(screens, path) {
  const nav = document.getElementById("nav");
  const entries = screens ? screens.nav : [];
  // The entry whose path is the longest prefix of the current one ("/jobs/new" over "/jobs").
  const hits = entries.map(([href]) => href.slice(1)).filter((p) => path === p || path.startsWith(`${p}/`));
  const current = hits.sort((a, b) => b.length - a.length)[0];
  nav.replaceChildren(...entries.map(([href, key, picture]) =>
    h("a", { href, "aria-current": href.slice(1) === current ? "page" : null }, picture ? icon(picture) : null, t(key))));
  document.getElementById("signout").hidden = !screens;
}

let rendering = 0;
let signingIn = null; // the sign-in's preferences (the profile's language), while they load
let signedInAs = null;

async function route() {
  const turn = ++rendering;
  const path = (location.hash.replace(/^#/, "") || "/").split("?")[0];
  const who = auth.caller();
  // check-in at the site: a QR code's link opened signed out is followed after the sign-in
  if (!who && path.startsWith("/check-in/")) sessionStorage.setItem(AFTER_SIGN_IN, path);
  const wanted = who && sessionStorage.getItem(AFTER_SIGN_IN);
  if (wanted) {
    sessionStorage.removeItem(AFTER_SIGN_IN);
    if (wanted !== path) {
      history.replaceState(null, "", `#${wanted}`);
      return route();
    }
  }
  // A caseworker or admin without an authenticator app (or not checked): its set-up, nothing else.
  const screens = who ? SCREENS[who.role] : auth.secondFactorPending() ? authenticator : null;
  const table = screens ? screens.routes : signin.routes;
  const smsLink = who && sessionStorage.getItem(SMS_LINK);
  if (smsLink) {
    sessionStorage.removeItem(SMS_LINK);
    history.replaceState(null, "", `#${smsLink}`);
    return route();
  }
  setScreens(table);
  let found = null;
  for (const [pattern, render] of table) {
    const params = matchRoute(pattern, path);
    if (params) {
      found = [render, params];
      break;
    }
  }
  if (!found) {
    // SMS (issue 20): an SMS's short link opened before signing in is followed after it.
    if (!who && path.startsWith("/s/")) sessionStorage.setItem(SMS_LINK, path);
    history.replaceState(null, "", `#${table[0][0]}`);
    return route();
  }
  if (screens && screens.onSignIn && signedInAs !== who.sub) {
    signedInAs = who.sub;
    signingIn = screens.onSignIn(who).catch(() => {}); // a preference only; the screen still shows
  }
  if (signingIn) {
    // A screen asked for while the profile's language still loads waits for it, or it would
    // show in the browser's language (a catalogue is imported when first chosen).
    await signingIn;
    fillLanguagePicker(document.getElementById("lang"));
  }
  renderNav(screens, path); // in the profile's language
  const main = view();
  const screen = h("div", { "aria-busy": "true" });
  try {
    await found[0](screen, found[1], who);
  } catch (err) {
    showError(err);
  }
  if (turn !== rendering) return; // the user moved on while this screen loaded
  screen.removeAttribute("aria-busy");
  main.replaceChildren(screen);
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent} · Tremplin` : "Tremplin";
  main.focus({ preventScroll: true });
  document.body.dataset.rendered = String(turn); // tests wait for a fresh screen by this
}

// languages (issue 20): every language by its own name; machine translations in a group that says so
function fillLanguagePicker(select) {
  const option = (entry) => h("option", { value: entry.code, lang: entry.lang, dir: entry.dir }, entry.name);
  const list = languageList();
  const unreviewed = list.filter((entry) => !entry.reviewed);
  select.replaceChildren(
    ...list.filter((entry) => entry.reviewed).map(option),
    ...(unreviewed.length ? [h("optgroup", { label: t("language_machine_translation") }, ...unreviewed.map(option))] : []),
  );
  select.value = document.documentElement.dataset.language;
}

async function boot() {
  let cfg = { api_base: "" };
  try {
    const answer = await fetch("config.json", { cache: "no-store" });
    if (answer.ok) cfg = { ...cfg, ...(await answer.json()) };
  } catch {
    /* served without config: same-origin API, the local sign-in page (#token= needs a config saying local) */
  }
  setApiBase(cfg.api_base);
  auth.configure(cfg);
  await setLanguage(initialLanguage());
  const select = document.getElementById("lang");
  fillLanguagePicker(select);
  select.addEventListener("change", async () => {
    await setLanguage(select.value, { remember: true });
    fillLanguagePicker(select);
    route();
  });
  document.getElementById("signout").addEventListener("click", () => auth.signOut());
  auth.takeTokenFromFragment();
  await auth.finishHostedSignIn();
  window.addEventListener("hashchange", () => {
    auth.takeTokenFromFragment();
    clearFlashOnNavigation();
    route();
  });
  window.addEventListener("tremplin:refresh", () => {
    clearFlashOnNavigation();
    route();
  });
  window.tremplinConfig = cfg;
  registerOffline(); // offline tolerance (issue 20)
  await route();
  document.body.dataset.ready = "true"; // for tests: the first screen is on the page
}

boot();
