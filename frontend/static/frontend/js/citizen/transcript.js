// The transcript: built in the tab from the messages it holds, downloaded as a .txt Blob.

import { formatDateTime, t } from "../common/i18n.js";

function articleText(html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ""}</body>`, "text/html");
  return (doc.body.textContent || "").replace(/\n{3,}/g, "\n\n").trim();
}

export function transcriptText(entries, senderLabel) {
  const lines = [t("transcript_title"), t("transcript_saved_at", { time: formatDateTime(new Date()) }), ""];
  for (const entry of entries) {
    const when = formatDateTime(new Date(entry.created_at));
    const who = entry.sender === "notice" ? t("system") : senderLabel(entry);
    lines.push(`[${when}] ${who}:`);
    if (entry.kind === "article") {
      const payload = entry.payload || {};
      lines.push(`${t("article")}: ${payload.title || entry.text}`);
      lines.push(articleText(payload.html));
    } else {
      lines.push(entry.text);
    }
    if (entry.payload && entry.payload.case_reference) {
      lines.push(t("case_reference", { reference: entry.payload.case_reference }));
    }
    lines.push("");
  }
  return lines.join("\n");
}

export function downloadTranscript(entries, senderLabel) {
  const blob = new Blob([transcriptText(entries, senderLabel)], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-");
  link.href = url;
  link.download = `${t("transcript_filename")}-${stamp}.txt`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
