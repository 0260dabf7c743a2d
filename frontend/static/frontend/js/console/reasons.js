// Triage reasons in the officer's language, from the wordings in the page configuration
// (`reason_texts`); the steps are common/reason_text.js, the same as the server's.

import { config } from "../common/config.js";
import { formatNumber } from "../common/i18n.js";
import { reasonText } from "../common/reason_text.js";

function probability(value) {
  return formatNumber(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A card's or alert's reasons as sentences (none when the field is missing). */
export function reasonTexts(reasons) {
  if (!Array.isArray(reasons)) return [];
  return reasons
    .map((reason) => reasonText(reason, config.reason_texts, probability))
    .filter(Boolean);
}
