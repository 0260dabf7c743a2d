// A supervisor watching one conversation read-only over /ws/supervisor/: the messages as they
// come, the staff notes, and private notes (whispers) to the officer.

import { announce } from "../common/announce.js";
import { config } from "../common/config.js";
import { $, el } from "../common/dom.js";
import { errorText, formatTime, t } from "../common/i18n.js";
import { newClientId } from "../common/ids.js";
import { MessageList } from "../common/messagelist.js";
import { ReconnectingSocket, showConnectionState } from "../common/socket.js";
import { categoryLabel, languageLabel } from "../console/alerts.js";

const conversationId = Number(config.conversation_id);
const notes = new Map();

function senderLabel(frame) {
  if (frame.sender === "citizen") return t("citizen");
  if (frame.sender === "officer") return frame.author_name || t("adviser");
  return t("system");
}

const messages = new MessageList($("#watch-messages"), { mySender: "supervisor", senderLabel, t });

function showCard(card) {
  const urgency = (config.urgencies && config.urgencies[card.urgency]) || card.urgency;
  const prechat = card.prechat || {};
  const badges = [
    el("span", { class: `badge urgency-${card.urgency}` }, urgency),
    el("span", { class: "badge" }, categoryLabel(card.category)),
    el("span", { class: "badge", lang: card.language || null }, languageLabel(card.language)),
  ];
  if (prechat.under_18) badges.push(el("span", { class: "badge" }, `${t("prechat_under_18")}: ${t("yes")}`));
  $("#watch-badges").replaceChildren(...badges);
  const ended = card.status === "closed" || card.status === "abandoned";
  $("#watch-ended").hidden = !ended;
  $("#watch-ended").textContent = ended ? t("ended") : "";
}

function addNote(frame) {
  const key = frame.client_id || `id-${frame.id}`;
  const label = frame.whisper ? t("whisper_label", { name: frame.author_name }) : frame.author_name;
  const item = el(
    "li",
    { class: frame.whisper ? "whisper" : null, "data-note-id": frame.id || "" },
    el("p", { class: "meta" }, `${label} · ${formatTime(new Date(frame.created_at))}`),
    el("p", { class: "text", dir: "auto" }, frame.text),
  );
  const existing = notes.get(key);
  if (existing) existing.replaceWith(item);
  else $("#watch-notes").append(item);
  notes.set(key, item);
}

function dispatch(frame) {
  if (frame.conversation_id !== undefined && frame.conversation_id !== conversationId) return;
  switch (frame.type) {
    case "message":
      messages.receive(frame);
      if (frame.sender === "citizen") announce(`${t("citizen")}: ${frame.text}`);
      break;
    case "note":
      addNote(frame);
      break;
    case "conversation.state":
      if (frame.conversation && frame.conversation.id === conversationId) showCard(frame.conversation);
      break;
    case "error":
      // An ended conversation needs the reason given on this page; it holds for a while.
      if (frame.code === "justification_required") $("#watch-status").textContent = t("justification_expired");
      else $("#watch-status").textContent = t("error_generic", { message: errorText(frame) });
      break;
    default:
      break;
  }
}

const socket = new ReconnectingSocket(config.socket_path, {
  onOpen: () => socket.send({ type: "conversation.open", conversation_id: conversationId, last_seq: messages.resumeSeq }),
  onFrame: dispatch,
  onState: (state, detail) => showConnectionState($("#connection"), t, state, detail),
});

$("#whisper-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("#whisper-input");
  const text = input.value.trim();
  if (!text) return;
  if (socket.send({ type: "whisper.send", conversation_id: conversationId, client_id: newClientId(), text })) {
    input.value = "";
    $("#watch-status").textContent = t("whisper_sent");
  }
});

socket.connect();
