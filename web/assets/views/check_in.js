// Check-in at the site (issue 20): the employer's QR code per shift, the participant's scan
// (the QR code's link opens #/check-in/<code>), the employer's check-in for someone without a
// phone, and the recorded times for the hours form. No location is asked for.
import { describeError, get, post } from "../api.js";
import { formatDateTime, formatTime, t } from "../i18n.js";
import { act, go, h } from "../ui.js";

const enc = encodeURIComponent;

function codeView(code) {
  if (code.state === "not_open") return h("p", { class: "muted" }, t("check_in_opens", { when: formatDateTime(code.opens_at) }));
  if (code.state === "closed") return h("p", { class: "muted" }, t("check_in_over"));
  return h("div", { class: "check-in-code" },
    h("img", { src: code.qr_svg_uri, alt: t("check_in_qr_alt"), width: 240, height: 240, "data-check-in-url": code.url }),
    h("p", { class: "muted" }, t("check_in_scan_hint")),
    h("p", { class: "muted" }, t("check_in_until", { when: formatDateTime(code.closes_at) })));
}

/** The shift's QR code on the employer's shift page; a new one fetched as each one turns over. */
export async function checkInPanel(shiftId) {
  const box = h("section", { class: "card", "aria-labelledby": "check-in-title" }, h("h2", { id: "check-in-title" }, t("check_in_title")));
  const body = h("div", { "aria-live": "polite" });
  box.append(body);
  const show = async () => {
    if (!box.isConnected && body.childElementCount) return; // the screen was left: stop
    const code = await get(`/shifts/${enc(shiftId)}/check-in-code`);
    body.replaceChildren(codeView(code));
    // At the next code's time, within 5 s to 5 min (the server's clock, not the device's, decides).
    const wait = Math.min(300000, Math.max(5000, new Date(code.refresh_at) - Date.now() + 500));
    if (code.refresh_at) setTimeout(() => show().catch(() => {}), wait);
  };
  await show();
  return box;
}

/** Arrival and departure as recorded, one line (or nothing before an arrival). */
export function checkInLine(checkIn) {
  if (!checkIn || !checkIn.arrived_at) return null;
  const parts = [t("check_in_arrived", { when: formatTime(checkIn.arrived_at) })];
  if (checkIn.departed_at) parts.push(t("check_in_departed", { when: formatTime(checkIn.departed_at) }));
  return h("p", { class: "check-in-times" }, parts.join(" · "));
}

/** The employer's buttons for a confirmed applicant without a phone. */
export function employerCheckIn(a, back) {
  const recorded = a.check_in || {};
  const button = (event, key) => h("button", { type: "button", class: "secondary", onclick: (e) => act(e.target,
    () => post(`/applications/${enc(a.application_id)}/check-in`, { event }), `check_in_${event}_ok`, () => go(back)) }, t(key));
  return h("div", { class: "row" },
    recorded.arrived_at ? null : button("arrival", "check_in_record_arrival"),
    recorded.arrived_at && !recorded.departed_at ? button("departure", "check_in_record_departure") : null);
}

/** What the hours form starts from: the recorded times where there are some. */
export function prefilledHours(a, shiftStartsAt) {
  const recorded = a.check_in || {};
  return { started_at: recorded.arrived_at || shiftStartsAt, ended_at: recorded.departed_at || null };
}

/** The participant opened the QR code's link: arrival or departure, said in plain words. */
export async function checkInScreen(el, { code }) {
  el.append(h("h1", {}, t("check_in_title")));
  try {
    const app = await post("/check-in", { code });
    const recorded = app.check_in || {};
    const key = recorded.departed_at ? "check_in_departure_done" : "check_in_arrival_done";
    const when = formatTime(recorded.departed_at || recorded.arrived_at);
    el.append(h("p", { class: "msg ok", role: "status" }, t(key, { when })), checkInLine(recorded));
  } catch (err) {
    el.append(h("p", { class: "msg error", role: "alert" }, describeError(err).text));
  }
  el.append(h("p", {}, h("a", { href: "#/applications" }, t("nav_applications"))));
}
