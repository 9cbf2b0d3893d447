// Boot and hash router: one screen per route, chosen by the signed-in user's role.
import { setApiBase } from "./api.js";
import * as auth from "./auth.js";
import { initialLanguage, setLanguage, t } from "./i18n.js";
import { registerOffline } from "./offline.js"; // offline tolerance (issue 20)
import { clearFlashOnNavigation, h, matchRoute, setScreens, showError } from "./ui.js";
import admin from "./views/admin.js";
import authenticator from "./views/authenticator.js";
import caseworker from "./views/caseworker.js";
import employer from "./views/employer.js";
import participant from "./views/participant.js";
import signin from "./views/signin.js";

const SCREENS = { participant, employer, caseworker, admin };
const view = () => document.getElementById("view");

function renderNav(screens, path) {
  const nav = document.getElementById("nav");
  const entries = screens ? screens.nav : [];
  // The entry whose path is the longest prefix of the current one ("/jobs/new" over "/jobs").
  const hits = entries.map(([href]) => href.slice(1)).filter((p) => path === p || path.startsWith(`${p}/`));
  const current = hits.sort((a, b) => b.length - a.length)[0];
  nav.replaceChildren(...entries.map(([href, key]) =>
    h("a", { href, "aria-current": href.slice(1) === current ? "page" : null }, t(key))));
  document.getElementById("signout").hidden = !screens;
}

let rendering = 0;
let signedInAs = null;

async function route() {
  const turn = ++rendering;
  const path = (location.hash.replace(/^#/, "") || "/").split("?")[0];
  const who = auth.caller();
  // A caseworker or admin without an authenticator app (or not checked): its set-up, nothing else.
  const screens = who ? SCREENS[who.role] : auth.secondFactorPending() ? authenticator : null;
  const table = screens ? screens.routes : signin.routes;
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
    history.replaceState(null, "", `#${table[0][0]}`);
    return route();
  }
  renderNav(screens, path);
  if (screens && screens.onSignIn && signedInAs !== who.sub) {
    signedInAs = who.sub;
    await screens.onSignIn(who).catch(() => {}); // a preference only; the screen still shows
    document.getElementById("lang").value = document.documentElement.lang;
  }
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
  setLanguage(initialLanguage());
  const select = document.getElementById("lang");
  select.value = document.documentElement.lang;
  select.addEventListener("change", () => {
    setLanguage(select.value, { remember: true });
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
