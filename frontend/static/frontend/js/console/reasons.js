// Triage reasons (a code, the citizen's quoted words, what it leads to) as sentences in the
// officer's language, built from the table in the page configuration exactly as the server
// builds them (core/reason_text.py). Plain strings (reasons stored before codes) show as they
// are. The result is text: callers put it in the DOM with textContent only.

import { config } from "../common/config.js";
import { formatNumber } from "../common/i18n.js";

const URGENCIES = ["P1", "P2", "P3", "P4"];
const EMPTY = {
  labels: {},
  levels: {},
  categories: {},
  quote: "“%(text)s”",
  whole_message: "",
  with_quotes: "%(reason)s (%(phrases)s)",
  with_evidence: "%(reason)s: %(evidence)s",
  with_probability: "%(reason)s (%(probability)s)",
  leads_to: "%(reason)s → %(to)s",
};

function table() {
  return { ...EMPTY, ...(config.reason_texts || {}) };
}

function fill(template, values) {
  return String(template).replace(/%\((\w+)\)s/g, (_match, name) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : "",
  );
}

function strings(value) {
  return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
}

function lookup(map, key) {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : key;
}

/** One reason as a sentence. */
export function reasonText(reason, words = table()) {
  if (typeof reason === "string") return reason;
  if (!reason || typeof reason !== "object" || typeof reason.code !== "string") return "";
  const quotes = strings(reason.quotes);
  const phrases = quotes.map((quote) => fill(words.quote, { text: quote })).join(", ");
  const to = typeof reason.to === "string" ? reason.to : "";
  const meaning = typeof reason.meaning === "string" ? reason.meaning : "";
  const label = lookup(words.labels, reason.code);
  let text = fill(label, {
    phrases: phrases || words.whole_message,
    level: lookup(words.levels, to),
    category: lookup(words.categories, to),
    meaning: meaning ? lookup(words.labels, meaning) : "",
    languages: strings(reason.languages).map((code) => lookup(config.language_names || {}, code)).join(", "),
  });
  if (phrases && !label.includes("%(phrases)s")) text = fill(words.with_quotes, { reason: text, phrases });
  if (Array.isArray(reason.evidence) && reason.evidence.length) {
    const evidence = reason.evidence.map((item) => reasonText(item, words)).join("; ");
    text = fill(words.with_evidence, { reason: text, evidence });
  }
  if (typeof reason.probability === "number") {
    const probability = formatNumber(reason.probability, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    text = fill(words.with_probability, { reason: text, probability });
  }
  if (to) text = fill(words.leads_to, { reason: text, to: URGENCIES.includes(to) ? to : lookup(words.categories, to) });
  return text;
}

/** A card's or alert's reasons as sentences (none when the field is missing). */
export function reasonTexts(reasons) {
  if (!Array.isArray(reasons)) return [];
  const words = table();
  return reasons.map((reason) => reasonText(reason, words)).filter(Boolean);
}
