// The live view: tiles, waiting by urgency and language, P1 list, officers (supervisor.live).

import { config } from "../common/config.js";
import { $, el } from "../common/dom.js";
import { formatDuration, formatNumber, formatTime, t } from "../common/i18n.js";
import { categoryLabel, languageLabel } from "../console/alerts.js";

function tile(label, value, { alarm = false, sub = "" } = {}) {
  return el("div", { "data-alarm": alarm ? "true" : null }, el("dt", {}, label), el("dd", {}, value, sub ? el("span", { class: "sub" }, ` ${sub}`) : null));
}

function bars(list, entries) {
  const max = Math.max(1, ...entries.map(([, value]) => value));
  list.replaceChildren(
    ...entries.map(([label, value, lang]) =>
      el(
        "li",
        {},
        el("span", { lang: lang || null }, label),
        el("meter", { min: 0, max, value, "aria-hidden": "true" }),
        el("span", { class: "value" }, formatNumber(value)),
      ),
    ),
  );
  if (!entries.length) list.replaceChildren(el("li", { class: "hint" }, t("none")));
}

export function showLive(frame) {
  const waiting = frame.waiting || {};
  const officers = frame.officers || {};
  const p1 = Array.isArray(frame.p1_waiting) ? frame.p1_waiting : [];
  const longest = waiting.longest_wait_seconds;
  $("#live-tiles").replaceChildren(
    tile(t("waiting_total"), formatNumber(waiting.total || 0)),
    tile(t("p1_waiting"), formatNumber(p1.length), { alarm: p1.length > 0 }),
    tile(t("longest_wait"), typeof longest === "number" ? formatDuration(longest, "short") : t("none")),
    tile(t("active"), formatNumber(frame.active || 0)),
    tile(t("officers_on_duty"), formatNumber(officers.on_duty || 0), {
      alarm: (waiting.total || 0) > 0 && !officers.on_duty,
      sub: t("officers_online", { count: formatNumber(officers.online || 0) }),
    }),
    tile(t("load"), `${formatNumber(officers.load || 0)} / ${formatNumber(officers.capacity || 0)}`),
  );
  const urgencies = config.urgencies || {};
  bars($("#live-urgency"), Object.entries(waiting.by_urgency || {}).map(([code, n]) => [urgencies[code] || code, n]));
  bars($("#live-language"), Object.entries(waiting.by_language || {}).map(([code, n]) => [languageLabel(code), n, code]));
  const uncovered = Array.isArray(waiting.languages_without_officer) ? waiting.languages_without_officer : [];
  const note = $("#live-uncovered");
  note.className = uncovered.length ? "notice emergency" : "hint";
  note.textContent = uncovered.length
    ? t("no_officer_for", { languages: uncovered.map(languageLabel).join(", ") })
    : t("all_languages_covered");
  $("#live-p1").replaceChildren(
    ...(p1.length
      ? p1.map((entry) =>
        el(
          "li",
          {},
          `${t("conversation", { id: entry.conversation_id })}: ${categoryLabel(entry.category)}, ${languageLabel(entry.language)} – `,
          t("waiting_for", { duration: formatDuration(entry.waiting_seconds || 0, "short") }),
        ))
      : [el("li", { class: "hint" }, t("none"))]),
  );
  const list = Array.isArray(officers.list) ? officers.list : [];
  $("#live-officers").replaceChildren(
    ...list.map((officer) =>
      el(
        "tr",
        {},
        el("td", { dir: "auto" }, officer.display_name),
        el("td", {}, officer.unit || ""),
        el("td", {}, (officer.languages || []).map(languageLabel).join(", ")),
        el("td", {}, `${formatNumber(officer.active_chats || 0)} / ${formatNumber(officer.max_chats || 0)}`),
        el("td", {}, officer.online ? `● ${t("online")}` : `○ ${t("offline")}`),
      ),
    ),
  );
  const when = frame.generated_at ? new Date(frame.generated_at) : new Date();
  $("#live-updated").textContent = t("updated_at", { time: formatTime(when) });
}
