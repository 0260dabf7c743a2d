// Triage reasons (a code, the citizen's quoted words, what it leads to) as sentences, built
// from a table of wordings in the reader's language exactly as the server builds them
// (core/reason_text.py). Pure: no DOM, so the same steps can be checked against the server's.
// Plain strings (reasons stored before codes) show as they are. The result is text: callers
// put it in the DOM with textContent only.

const URGENCIES = ["P1", "P2", "P3", "P4"];
const DEFAULTS = {
  labels: {},
  levels: {},
  categories: {},
  languages: {},
  quote: "“%(text)s”",
  whole_message: "",
  with_quotes: "%(reason)s (%(phrases)s)",
  with_evidence: "%(reason)s: %(evidence)s",
  with_probability: "%(reason)s (%(probability)s)",
  leads_to: "%(reason)s → %(to)s",
};

function fill(template, values) {
  return String(template).replace(/%\((\w+)\)s/g, (_match, name) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : "",
  );
}

function strings(value) {
  return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
}

function lookup(map, key) {
  return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : key;
}

/**
 * One reason as a sentence. `table` is the page's `reason_texts`; `formatProbability(number)`
 * writes a probability the reader's way.
 */
export function reasonText(reason, table, formatProbability) {
  if (typeof reason === "string") return reason;
  if (!reason || typeof reason !== "object" || typeof reason.code !== "string") return "";
  const words = { ...DEFAULTS, ...(table || {}) };
  const quotes = strings(reason.quotes);
  const phrases = quotes.map((quote) => fill(words.quote, { text: quote })).join(", ");
  const to = typeof reason.to === "string" ? reason.to : "";
  const meaning = typeof reason.meaning === "string" ? reason.meaning : "";
  const label = String(lookup(words.labels, reason.code));
  let text = fill(label, {
    phrases: phrases || words.whole_message,
    level: lookup(words.levels, to),
    category: lookup(words.categories, to),
    meaning: lookup(words.labels, meaning),
    languages: strings(reason.languages).map((code) => lookup(words.languages, code)).join(", "),
  });
  if (phrases && !label.includes("%(phrases)s")) text = fill(words.with_quotes, { reason: text, phrases });
  if (Array.isArray(reason.evidence) && reason.evidence.length) {
    const evidence = reason.evidence
      .map((item) => reasonText(item, words, formatProbability))
      .join("; ");
    text = fill(words.with_evidence, { reason: text, evidence });
  }
  if (typeof reason.probability === "number") {
    text = fill(words.with_probability, { reason: text, probability: formatProbability(reason.probability) });
  }
  if (to) text = fill(words.leads_to, { reason: text, to: URGENCIES.includes(to) ? to : lookup(words.categories, to) });
  return text;
}
