// The period's key figures from /supervisor/stats/metrics.json, as a table people can read.

import { config } from "../common/config.js";
import { $, el } from "../common/dom.js";
import { errorText, formatDuration, formatNumber, t } from "../common/i18n.js";

const SHOWN = [
  "started", "answered", "abandonment_rate", "wait_join_median", "wait_join_p90",
  "wait_first_message_median", "handle_median", "p1_share_60s", "p1_share_300s",
  "escalation_rate", "referral_rate", "transferred", "rating_average", "rating_count",
];

function format(metric, value) {
  if (value === null || value === undefined) return t("no_data");
  if (metric.endsWith("_rate") || metric.startsWith("p1_share")) {
    return formatNumber(value, { style: "percent", maximumFractionDigits: 1 });
  }
  if (/_(median|p90|max)$/.test(metric)) return formatDuration(value, "short");
  if (metric === "rating_average") return formatNumber(value, { maximumFractionDigits: 2 });
  return formatNumber(value);
}

export async function showTotals() {
  const status = $("#history-status");
  try {
    const response = await fetch(config.metrics_url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    const data = await response.json();
    if (!response.ok) throw new Error(errorText(data));
    const totals = data.totals || {};
    const labels = config.metric_labels || {};
    $("#history-totals").replaceChildren(
      ...SHOWN.filter((metric) => metric in totals).map((metric) =>
        el("tr", {}, el("th", { scope: "row" }, labels[metric] || metric), el("td", {}, format(metric, totals[metric]))),
      ),
    );
    status.textContent = "";
  } catch (error) {
    status.textContent = t("load_failed", { message: error.message });
  }
}
