// Languages (issue 20): pictures beside the words for pay, offers and hours, so a participant who
// reads slowly (simple German's readers, and anyone new to the language) finds them at a glance.
// Shown in every language; aria-hidden, so a screen reader reads the text label only. Inline SVG
// rather than emoji: a phone without an emoji font would show empty boxes.
import { h } from "../ui.js";

const STROKE = 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"';
const PATHS = {
  pay: '<circle cx="12" cy="12" r="9"/><path d="M15 9.5c-.5-1-1.6-1.5-3-1.5-1.7 0-3 .9-3 2s1.3 1.7 3 2 3 .9 3 2-1.3 2-3 2c-1.4 0-2.5-.5-3-1.5M12 6v2m0 8v2"/>',
  offer: '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="m3 7 9 6 9-6"/>',
  hours: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
  job_offer: '<rect x="3" y="7" width="18" height="13" rx="2"/><path d="M9 7V5a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2M3 13h18"/>',
};

export function icon(name) {
  const span = h("span", { class: "icon", "aria-hidden": "true" });
  // A fixed picture of this file, no user data: innerHTML is safe here.
  span.innerHTML = `<svg viewBox="0 0 24 24" width="1.1em" height="1.1em" ${STROKE}>${PATHS[name]}</svg>`;
  return span;
}
