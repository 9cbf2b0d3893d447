// Offline tolerance (issue 20): the app shell, and the last answers of the participant's own reads
// of their applications and shifts, so confirmed shifts and the check-in link show without a
// connection. Network first: a cached answer is used only when the network fails, and the page is
// told when it was stored. The page clears the data cache on sign-out (auth.js).
const SHELL = "tremplin-shell-v1";
const DATA = "tremplin-data-v1";
const SHELL_FILES = ["./", "index.html", "config.json", "assets/styles.css", "assets/app.js", "assets/api.js",
  "assets/auth.js", "assets/offline.js", "assets/i18n.js", "assets/ui.js", "assets/i18n/de.js", "assets/i18n/fr.js",
  "assets/i18n/en.js", "assets/i18n/languages.js", ...["admin", "authenticator", "calendar", "caseworker", "check_in",
    "employer", "favourites", "icons", "jobs_common", "notifications", "papers", "participant", "progress",
    "regular_offers", "reports", "signin", "sms", "webhooks"].map((v) => `assets/views/${v}.js`)];
// Other languages' catalogues are kept once loaded (network first, like every file under assets/).
// The API reads kept for offline use: the participant's profile, applications, and the jobs,
// shifts and applications they name. Nothing else (no inbox, no pay, no export).
const KEPT_READS = [/\/me$/, /\/me\/applications$/, /\/jobs\/[^/]+$/, /\/shifts\/[^/]+$/, /\/applications\/[^/]+$/];
const STORED_AT = "x-tremplin-stored-at";

self.addEventListener("install", (event) => {
  // One by one: a file missing from a release must not leave the app without a worker.
  event.waitUntil(caches.open(SHELL)
    .then((cache) => Promise.all(SHELL_FILES.map((f) => cache.add(f).catch(() => undefined))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const current = new Set([SHELL, DATA]);
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => !current.has(n)).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

function isShell(url) {
  return url.origin === self.location.origin && (url.pathname === "/" || url.pathname.endsWith(".html") || url.pathname === "/config.json"
    || url.pathname.includes("/assets/"));
}

function isKeptRead(request, url) {
  return request.method === "GET" && request.headers.has("authorization") && KEPT_READS.some((r) => r.test(url.pathname));
}

async function tell(clientId, storedAt) {
  const client = clientId ? await self.clients.get(clientId) : null;
  const all = client ? [client] : await self.clients.matchAll({ type: "window" });
  for (const c of all) c.postMessage({ type: "offline", stored_at: storedAt });
}

async function networkFirst(event, cacheName, stamp) {
  const cache = await caches.open(cacheName);
  try {
    const answer = await fetch(event.request);
    if (answer.ok) {
      const headers = new Headers(answer.headers);
      headers.set(STORED_AT, new Date().toISOString());
      const body = await answer.clone().blob();
      await cache.put(event.request, new Response(body, { status: answer.status, headers }));
    }
    return answer;
  } catch (err) {
    const kept = (await cache.match(event.request, { ignoreVary: true }))
      || (event.request.mode === "navigate" ? await caches.match("index.html") : undefined);
    if (!kept) throw err;
    if (stamp) await tell(event.clientId, kept.headers.get(STORED_AT));
    return kept;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET") return;
  if (isKeptRead(event.request, url)) event.respondWith(networkFirst(event, DATA, true));
  else if (event.request.mode === "navigate" || isShell(url)) event.respondWith(networkFirst(event, SHELL, false));
});
