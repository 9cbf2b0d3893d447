// Offline tolerance (issue 20): registers the service worker (web/sw.js) and says on screen when
// it answered from what was stored ("offline — showing what was loaded at HH:MM").
import { formatTime, t } from "./i18n.js";

const DATA_CACHE = "tremplin-data-v1"; // sw.js's cache of the participant's reads

function notice() {
  let el = document.getElementById("offline");
  if (!el) {
    el = document.createElement("p");
    el.id = "offline";
    el.className = "msg info offline";
    el.setAttribute("role", "status");
    el.hidden = true;
    document.getElementById("view").before(el);
  }
  return el;
}

export function registerOffline() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("sw.js", { scope: "./" }).catch(() => {}); // the app works without it
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type !== "offline") return;
    const el = notice();
    el.textContent = t("offline_notice", { time: event.data.stored_at ? formatTime(event.data.stored_at) : "?" });
    el.hidden = false;
  });
  window.addEventListener("online", () => { notice().hidden = true; });
}

/** Nobody's answers outlive their sign-out on a shared phone. */
export function forgetOfflineData() {
  if (typeof caches === "undefined") return Promise.resolve();
  return caches.delete(DATA_CACHE).catch(() => false);
}
