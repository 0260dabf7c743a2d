// Citizen page: one dispatcher for every frame from /ws/citizen/, wiring the page's parts.

import { announce } from "../common/announce.js";
import { config } from "../common/config.js";
import { $, $$ } from "../common/dom.js";
import { errorText, t } from "../common/i18n.js";
import { newClientId } from "../common/ids.js";
import { MessageList } from "../common/messagelist.js";
import { Outbox } from "../common/outbox.js";
import { ReconnectingSocket, showConnectionState } from "../common/socket.js";
import { readPrechat, watchDanger } from "./prechat.js";
import { installQuickExit } from "./quickexit.js";
import { showCode, wireCodeForm, wireLeaveMessage } from "./comeback.js";
import { loadChat, saveCode, saveEnded, saveOutbox, saveToken, wipe } from "./store.js";
import { downloadTranscript } from "./transcript.js";
import { askLanguage, askSafety, showQueuePosition, showSuggestions, showWaiting } from "./waiting.js";

const TYPING_SEND_EVERY_MS = 3000;
const TYPING_SHOW_MS = 5000;

const saved = loadChat();

const chat = {
  token: saved ? saved.token : null,
  code: saved && typeof saved.code === "string" ? saved.code : "",
  resumeCode: "",
  startRequested: false,
  prechat: {},
  ready: false,
  status: "",
  language: "",
  officerName: "",
  firstReplay: true,
  languageSent: false,
  lastTypingSent: 0,
  typingTimer: null,
};

function senderLabel(frame) {
  if (frame.sender === "citizen") return t("you");
  if (frame.sender === "officer") return frame.author_name || t("adviser");
  return t("system");
}

const messages = new MessageList($("#message-list"), { mySender: "citizen", senderLabel, t });
const socket = new ReconnectingSocket(config.socket_path, {
  onOpen,
  onFrame: dispatch,
  rate: config.frame_rate,
  onState: (state, detail) => {
    if (state !== "open") {
      chat.ready = false;
      outbox.setReady(false);
    }
    showConnectionState($("#connection"), t, state, detail);
  },
});

const outbox = new Outbox({
  socket,
  messages,
  frameFor: (item) => ({ type: "message.send", client_id: item.client_id, text: item.text }),
  onChange: saveOutbox,
  t,
});

/** "ended" keeps the conversation readable above the ending (an answer left for a citizen
 * who comes back with the code is read there). */
function showView(name) {
  $("#start-view").hidden = name !== "start";
  $("#chat-view").hidden = name === "start";
  $("#chat-view").classList.toggle("ended", name === "ended");
  $("#ended-view").hidden = name !== "ended";
}

function onOpen() {
  chat.ready = false;
  if (chat.token) {
    socket.send({ type: "conversation.resume", token: chat.token, last_seq: messages.resumeSeq });
  } else if (chat.resumeCode) {
    socket.send({ type: "conversation.resume_code", code: chat.resumeCode, last_seq: 0 });
  } else if (chat.startRequested) {
    const frame = { type: "conversation.start", prechat: chat.prechat };
    if (config.chosen_language) frame.language = config.chosen_language;
    const browser = (navigator.language || "").toLowerCase().split("-")[0];
    if (browser && config.language_names && browser in config.language_names) frame.browser_language = browser;
    socket.send(frame);
  }
}

function dispatch(frame) {
  switch (frame.type) {
    case "conversation.started":
      onStarted(frame);
      break;
    case "conversation.resumed":
      onResumedWithCode(frame);
      break;
    case "resume_code":
      onCode(frame.code);
      break;
    case "conversation.state":
      onState(frame);
      break;
    case "message":
      onMessage(frame);
      break;
    case "ack":
      onAck(frame);
      break;
    case "replay.done":
      onReplayDone();
      break;
    case "queue.position":
      showQueuePosition(frame);
      break;
    case "suggestions":
      showSuggestions(frame);
      break;
    case "language.ask":
      askLanguage(frame, chooseLanguage);
      break;
    case "safety.ask":
      askSafety(frame, (answer) => socket.send({ type: "safety.answer", answer }));
      break;
    case "typing":
      if (frame.sender === "officer") showTyping();
      break;
    case "rating.saved":
      onRatingSaved();
      break;
    case "error":
      onError(frame);
      break;
    default:
      break;
  }
}

function onStarted(frame) {
  chat.token = frame.token;
  saveToken(frame.token);
  saveOutbox(outbox.saved());
  applyStatus(frame);
  chat.ready = true;
  outbox.setReady(true);
  socket.send({ type: "resume_code.issue" });
}

/** Resumed with a code in this tab: keep the fresh token and the code; the replay follows. */
function onResumedWithCode(frame) {
  chat.token = frame.token;
  saveToken(frame.token);
  onCode(frame.code || chat.resumeCode);
  chat.resumeCode = "";
  $("#code-input").value = "";
}

function onCode(code) {
  chat.code = code;
  saveCode(code);
  showCode(code);
}

function applyStatus(frame) {
  chat.status = frame.status;
  chat.language = frame.language || chat.language;
  chat.officerName = frame.officer_name || "";
  if (frame.status === "closed" || frame.status === "abandoned") {
    showEnded(frame);
    return;
  }
  showView("chat");
  showWaiting(frame.status === "waiting");
}

function onState(frame) {
  if (frame.reason === "citizen_erased") {
    onErased();
    return;
  }
  const wasEnded = chat.status === "closed" || chat.status === "abandoned";
  const previousOfficer = chat.officerName;
  applyStatus(frame);
  if (wasEnded) return;
  let notice = "";
  if (frame.reason === "officer_joined") {
    notice = frame.officer_name ? t("officer_joined", { name: frame.officer_name }) : t("officer_joined_anon");
  } else if (frame.reason === "officer_reconnecting") {
    notice = t("officer_reconnecting");
  } else if (frame.reason === "officer_returned") {
    notice = t("officer_returned");
  } else if (frame.reason === "officer_disconnected") {
    notice = t("officer_left");
  } else if (frame.reason === "transferred") {
    notice = frame.officer_name && frame.officer_name !== previousOfficer
      ? t("transferred", { name: frame.officer_name })
      : t("transferred_queue");
  } else if (frame.reason === "referred") {
    notice = t("referred");
  } else if (frame.reason === "message_left") {
    notice = t("message_left");
    $("#message-left").hidden = false;
    $("#nobody-on-duty").hidden = true;
  }
  if (notice) {
    messages.addNotice(notice);
    announce(notice);
  }
}

function onMessage(frame) {
  const isNew = messages.receive(frame);
  if (frame.sender === "citizen" && frame.client_id) outbox.delivered(frame.client_id);
  if (isNew && frame.sender !== "citizen") {
    hideTyping();
    if (!chat.firstReplay || chat.ready) {
      announce(t("new_message_from", { name: senderLabel(frame), text: frame.kind === "article" ? frame.payload.title || frame.text : frame.text }));
    }
  }
}

function onAck(frame) {
  messages.ack(frame);
  outbox.delivered(frame.client_id);
}

function onReplayDone() {
  chat.ready = true;
  chat.firstReplay = false;
  if (config.chosen_language && !chat.languageSent && chat.status !== "closed" && chat.status !== "abandoned") {
    chat.languageSent = true;
    if (config.chosen_language !== chat.language) {
      socket.send({ type: "conversation.set_language", language: config.chosen_language });
    }
  }
  outbox.setReady(true);
}

function onError(frame) {
  // A message of ours: the outbox resends it (same client_id) or marks it "Not sent".
  if (frame.ref && outbox.refused(frame)) return;
  if (frame.code === "invalid_code" || frame.code === "too_many_attempts") {
    // The socket stays open and attached to nothing: the citizen may try again.
    chat.resumeCode = "";
    const text = t(frame.code === "invalid_code" ? "code_invalid" : "code_too_many");
    $("#code-error").textContent = text;
    $("#code-input").focus();
    return;
  }
  if (frame.code === "text_empty" && !$("#nobody-on-duty").hidden) {
    $("#leave-error").textContent = t("leave_write_first");
    return;
  }
  if (frame.code === "rate_limited" && !chat.token && chat.startRequested) {
    // Too many chats were started from this network: back to the form, in the page's language.
    chat.startRequested = false;
    showView("start");
    const notice = t("start_wait");
    const note = $("#emergency-note");
    note.insertAdjacentElement("beforebegin", Object.assign(document.createElement("p"), { className: "notice", textContent: notice }));
    announce(notice);
    return;
  }
  if (frame.code === "rate_limited" && chat.token) {
    // Another frame (typing, a ping) came too fast: pause, nothing to tell the citizen.
    socket.holdFor(frame.retry_after);
    return;
  }
  // A retry refusal of a message already stored (its resend crossed the ack): nothing to do.
  if (frame.ref && (frame.code === "busy" || frame.code === "temporarily_unavailable")) return;
  if (frame.code === "conversation_escalated") {
    $("#erase-error").textContent = t("error_escalated");
    $("#confirm-erase").hidden = true;
    announce(t("error_escalated"));
    return;
  }
  if (frame.code === "invalid_token") {
    chat.token = null;
    outbox.clear();
    wipe();
    socket.stop();
    showView("start");
    const note = $("#emergency-note");
    note.insertAdjacentElement("beforebegin", Object.assign(document.createElement("p"), { className: "notice", textContent: t("resume_failed") }));
    return;
  }
  if (frame.code === "temporarily_unavailable") {
    // A start or resume the server could not do yet: reconnect with backoff and ask again.
    socket.drop();
    return;
  }
  if (["not_started", "already_started", "unknown_type", "not_allowed"].includes(frame.code)) return;
  const text = t("error_generic", { message: errorText(frame) });
  if (!$("#chat-view").hidden) messages.addNotice(text);
  announce(text);
}

function sendMessage(text) {
  outbox.add(newClientId(), text);
}

function chooseLanguage(code, name) {
  socket.send({ type: "conversation.set_language", language: code });
  chat.language = code;
  announce(t("language_changed", { language: name }));
}

function showTyping() {
  const node = $("#typing");
  node.textContent = t("typing", { name: chat.officerName || t("adviser") });
  node.hidden = false;
  clearTimeout(chat.typingTimer);
  chat.typingTimer = setTimeout(hideTyping, TYPING_SHOW_MS);
}

function hideTyping() {
  clearTimeout(chat.typingTimer);
  $("#typing").hidden = true;
}

/** The conversation was erased at the citizen's request: nothing of it stays in this tab. */
function onErased() {
  chat.token = null;
  outbox.clear();
  chat.status = "closed";
  wipe();
  socket.stop();
  messages.clear();
  hideTyping();
  $("#confirm-erase").hidden = true;
  $("#ended-reason").textContent = t("erased");
  $("#rating-form").hidden = true;
  for (const button of $$("#ended-view .download-transcript")) button.hidden = true;
  showView("ended");
  announce(t("erased"));
  $("#ended-heading").focus();
}

function showEnded(frame) {
  const alreadyShown = !$("#ended-view").hidden;
  saveEnded(true);
  hideTyping();
  let reason = t("ended_generic");
  if (frame.status === "abandoned") reason = t("ended_unanswered");
  else if (frame.reason === "ended_by_citizen") reason = t("ended_by_citizen");
  else if (frame.reason === "ended_by_officer") reason = t("ended_by_officer");
  $("#ended-reason").textContent = reason;
  $("#rating-form").hidden = frame.status !== "closed" || $("#rating-thanks").textContent !== "";
  // The transcript is built from the messages this page holds; the token is revoked on the
  // server now, so a reloaded page has none to offer.
  for (const button of $$("#ended-view .download-transcript")) button.hidden = messages.entries().length === 0;
  showView("ended");
  if (!alreadyShown) {
    announce(reason);
    $("#ended-heading").focus();
  }
}

function onRatingSaved() {
  $("#rating-form").hidden = true;
  $("#rating-thanks").textContent = t("rating_thanks");
}

function wireStart() {
  const form = $("#prechat-form");
  watchDanger(form, $("#danger-note"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    chat.prechat = readPrechat(form);
    chat.startRequested = true;
    showView("chat");
    showWaiting(true);
    $("#message-input").focus();
    if (socket.isOpen) onOpen();
    else socket.connect();
  });
}

function wireComposer() {
  const form = $("#composer");
  const input = $("#message-input");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    sendMessage(text);
    // A new message starts a new "typing" episode: tell the adviser at the first key press.
    chat.lastTypingSent = 0;
    input.value = "";
    input.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", () => {
    const now = Date.now();
    if (chat.ready && now - chat.lastTypingSent > TYPING_SEND_EVERY_MS) {
      chat.lastTypingSent = now;
      socket.send({ type: "typing" }, { optional: true });
    }
  });
}

function wireEnding() {
  const confirmBox = $("#confirm-end");
  $("#end-chat").addEventListener("click", () => {
    $("#confirm-end-text").textContent = t("confirm_end");
    confirmBox.hidden = false;
    $("#confirm-end-yes").focus();
  });
  $("#confirm-end-no").addEventListener("click", () => {
    confirmBox.hidden = true;
    $("#end-chat").focus();
  });
  $("#confirm-end-yes").addEventListener("click", () => {
    // Ending revokes the conversation's token: the download offered beside this button is
    // the last chance to keep a copy once the page is closed.
    confirmBox.hidden = true;
    socket.send({ type: "conversation.end" });
  });
  const eraseBox = $("#confirm-erase");
  $("#erase-chat").addEventListener("click", () => {
    $("#erase-error").textContent = "";
    $("#confirm-erase-text").textContent = t("confirm_erase");
    confirmBox.hidden = true;
    eraseBox.hidden = false;
    $("#confirm-erase-no").focus();
  });
  $("#confirm-erase-no").addEventListener("click", () => {
    eraseBox.hidden = true;
    $("#erase-chat").focus();
  });
  $("#confirm-erase-yes").addEventListener("click", () => {
    eraseBox.hidden = true;
    socket.send({ type: "conversation.erase" });
  });
  for (const button of $$(".download-transcript")) {
    button.addEventListener("click", () => downloadTranscript(messages.entries(), senderLabel));
  }
  $("#rating-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    const score = Number(data.get("score"));
    if (!score) return;
    socket.send({ type: "rating.submit", score, comment: String(data.get("comment") || "").trim() });
  });
  $("#new-chat").addEventListener("click", () => {
    socket.stop();
    wipe();
    location.replace(location.pathname + location.search);
  });
}

function wireLanguageForm() {
  // Replace rather than push: one history entry for this page, so quick exit leaves no trail.
  $("#language-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams({ lang: $("#language-select").value });
    location.replace(`${location.pathname}?${params}`);
  });
}

/**
 * Quick exit ends the conversation on the server too, so its token can never reopen it:
 * `conversation.leave` over the open socket, and a beacon that survives the navigation.
 */
function leaveForGood() {
  if (chat.token) {
    socket.send({ type: "conversation.leave" });
    if (navigator.sendBeacon && config.leave_url) {
      navigator.sendBeacon(config.leave_url, new URLSearchParams({ token: chat.token }));
    }
  }
  socket.stop();
}

installQuickExit({ button: $("#quick-exit"), exitUrl: config.exit_url, beforeExit: leaveForGood });
wireStart();
wireComposer();
wireEnding();
wireLanguageForm();
wireCodeForm((code) => {
  chat.resumeCode = code;
  if (socket.isOpen) onOpen();
  else socket.connect();
});
wireLeaveMessage(() => {
  $("#leave-error").textContent = "";
  if (!messages.entries().some((entry) => entry.sender === "citizen")) {
    $("#leave-error").textContent = t("leave_write_first");
    return;
  }
  socket.send({ type: "conversation.leave_message" });
});

if (chat.token) {
  // A reload inside a chat: show it again, resend what was not acknowledged.
  showView(saved.ended ? "ended" : "chat");
  if (chat.code) showCode(chat.code);
  outbox.restore(saved && Array.isArray(saved.outbox) ? saved.outbox : []);
  socket.connect();
} else {
  showView("start");
}
