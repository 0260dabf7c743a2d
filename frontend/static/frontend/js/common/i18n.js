// Translated strings (from the template's `i18n` JSON blob) and locale-aware formatting.

import { readJSON } from "./config.js";

const strings = readJSON("i18n");
export const locale = document.documentElement.lang || "en";

/** The translated string `key` with `%(name)s` placeholders filled from `params`. */
export function t(key, params = {}) {
  const template = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
  return template.replace(/%\((\w+)\)s/g, (_match, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : "",
  );
}

/** An error frame's or answer's message by its `code`, in the page's language (the
 * server's `message` may be English; it is never shown). */
export function errorText(error) {
  const key = `error.${error && error.code}`;
  return Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : t("error.unknown");
}

// Staff pages name their unit's zone (`<html data-time-zone>`); citizens see their own.
export const timeZone = document.documentElement.dataset.timeZone || undefined;
const timeFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone });
const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });

export function formatTime(date) {
  return timeFormat.format(date);
}

export function formatDateTime(date) {
  return dateTimeFormat.format(date);
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(locale, options).format(value);
}

/** A duration in whole minutes (at least one) or seconds under a minute, e.g. "3 minutes". */
export function formatDuration(seconds, display = "long") {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) {
    return formatNumber(total, { style: "unit", unit: "second", unitDisplay: display });
  }
  const minutes = Math.round(total / 60);
  if (minutes < 120) {
    return formatNumber(minutes, { style: "unit", unit: "minute", unitDisplay: display });
  }
  return formatNumber(Math.round(minutes / 6) / 10, {
    style: "unit",
    unit: "hour",
    unitDisplay: display,
    maximumFractionDigits: 1,
  });
}
