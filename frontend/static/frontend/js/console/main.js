// Officer console: one dispatcher for every frame from /ws/officer/.

import { unlockAudio } from "../common/beep.js";
import { config } from "../common/config.js";
import { $ } from "../common/dom.js";
import { errorText, t } from "../common/i18n.js";
import { ReconnectingSocket, showConnectionState } from "../common/socket.js";
import { Actions } from "./actions.js";
import { clearP1Alert, showP1Alert } from "./alerts.js";
import { Layout } from "./layout.js";
import { storeCanned } from "./canned.js";
import { Chats } from "./chats.js";
import { Queue } from "./queue.js";
import { openReferralInbox, showReferralDecision } from "./referrals.js";
import { installShortcuts } from "./shortcuts.js";
import { showWatching } from "./watching.js";

const ENDED_REASONS = new Set(["ended_by_citizen", "ended_by_officer", "citizen_left", "citizen_erased"]);
const pendingClaims = new Set();
let onDuty = $("#duty-toggle").getAttribute("aria-pressed") === "true";

function status(text) {
  $("#console-status").textContent = text;
}

const socket = new ReconnectingSocket(config.socket_path, {
  onOpen: () => {},
  onFrame: dispatch,
  rate: config.frame_rate,
  onState: (state, detail) => {
    if (state !== "open") for (const chat of chats.all()) chat.markQueued();
    showConnectionState($("#connection"), t, state, detail);
  },
});
const send = (frame) => socket.send(frame);
const actions = new Actions({ send, status });
let layout = null;
const chats = new Chats({
  socket,
  send,
  status,
  actions,
  isShown: () => !layout || layout.chatShown(),
  onChange: () => layout?.refresh(),
});
const queue = new Queue({ onClaim: claim, onChange: () => layout?.refresh() });
layout = new Layout({ chats, actions: (name, chat) => actions[name](chat) });

function claim(conversationId) {
  pendingClaims.add(conversationId);
  send({ type: "conversation.claim", conversation_id: conversationId });
}

function openConversation(chat) {
  chat.opened = true;
  send({ type: "conversation.open", conversation_id: chat.id, last_seq: chat.messages.resumeSeq });
}

function dispatch(frame) {
  switch (frame.type) {
    case "officer.state":
      onOfficerState(frame);
      break;
    case "duty.state":
      setDuty(frame.on_duty);
      break;
    case "queue.snapshot":
      queue.snapshot(frame.entries || [], frame.part || 0);
      break;
    case "queue.entry":
      queue.upsert(frame.entry);
      break;
    case "queue.removed":
      queue.remove(frame.conversation_id);
      clearP1Alert(frame.conversation_id);
      break;
    case "alert.p1":
      showP1Alert(frame, (id) => {
        if (queue.has(id)) {
          layout.showQueue();
          queue.focusCard(id);
        } else if (chats.get(id)) {
          layout.showChat();
          chats.activate(id, true);
        }
        else if (frame.referral_id) openReferralInbox();
      });
      break;
    case "referral.decided":
      showReferralDecision(frame);
      break;
    case "supervisor.watching": {
      const chat = chats.get(frame.conversation_id);
      if (chat) showWatching(chat, frame);
      break;
    }
    case "conversation.state":
      onConversationState(frame);
      break;
    case "message":
      chats.ensure({ id: frame.conversation_id }).onMessage(frame);
      break;
    case "ack":
      chats.get(frame.conversation_id)?.onAck(frame);
      break;
    case "replay.done":
      chats.get(frame.conversation_id)?.onReplayDone();
      break;
    case "typing":
      if (frame.sender === "citizen") chats.get(frame.conversation_id)?.showTyping();
      break;
    case "suggestions":
      chats.get(frame.conversation_id)?.articles.suggest(frame.articles);
      break;
    case "article.preview":
      chats.get(frame.conversation_id)?.articles.showPreview(frame);
      break;
    case "article.results":
      chats.articleResults(frame);
      break;
    case "canned.replies":
      chats.cannedArrived(storeCanned(frame));
      break;
    case "note":
      chats.get(frame.conversation_id)?.addNote(frame);
      break;
    case "error":
      onError(frame);
      break;
    default:
      break;
  }
}

function onOfficerState(frame) {
  setDuty(frame.on_duty);
  const assigned = new Set();
  for (const card of frame.conversations || []) {
    assigned.add(card.id);
    const chat = chats.ensure(card);
    chat.update(card);
    openConversation(chat);
  }
  // Conversations that left this officer while the console was offline.
  for (const chat of chats.all()) {
    if (!assigned.has(chat.id) && !chat.ended) chat.end(t("transferred"));
  }
}

function onConversationState(frame) {
  const card = frame.conversation;
  if (!card) return;
  const mine = card.assigned_officer_id === config.officer_id;
  let chat = chats.get(card.id);
  if (card.status === "waiting") {
    // Accepted on referral by another unit: it waits in their queue, not in this one.
    if (card.referred && !card.for_my_unit) queue.remove(card.id);
    else queue.upsert(card);
    if (chat && !chat.ended) chat.end(frame.reason === "referred" ? t("referred_away") : t("transferred"));
    return;
  }
  queue.remove(card.id);
  if (card.status === "active" && mine) {
    chat = chats.ensure(card);
    chat.update(card);
    // Assigned to me (a transfer, or another console of mine claimed it): load it as a fresh
    // open does, even after this console lost the claim race for it.
    if (frame.reason === "assigned" && !chat.opened) {
      pendingClaims.delete(card.id);
      status("");
      openConversation(chat);
    }
    if (frame.reason === "opened") {
      chat.opened = true;
      if (pendingClaims.delete(card.id)) {
        chats.activate(card.id, false);
        layout.showChat();
        chat.reply.focus();
      }
    }
    return;
  }
  if (!chat || chat.ended) return;
  if (card.status === "closed" || card.status === "abandoned" || ENDED_REASONS.has(frame.reason)) {
    chat.update(card);
    let notice = t("ended");
    if (frame.reason === "ended_by_officer") notice = t("closed");
    else if (frame.reason === "citizen_left") notice = t("citizen_left");
    else if (frame.reason === "citizen_erased") {
      // Nothing of it may stay on screen either.
      notice = t("citizen_erased");
      chat.messages.clear();
    }
    chat.end(notice);
  } else if (!mine) {
    chat.end(t("transferred"));
  }
}

function onError(frame) {
  const chat = chats.all().find((c) => frame.ref && (c.outbox.has(frame.ref) || c.notes.has(frame.ref)));
  if (chat && chat.onError(frame)) return;
  if (frame.code === "rate_limited") {
    // A frame that is not a reply came too fast (typing, an article search): pause.
    socket.holdFor(frame.retry_after);
    return;
  }
  // A retry refusal of a reply already stored (its resend crossed the ack).
  if (frame.ref && (frame.code === "busy" || frame.code === "temporarily_unavailable")) return;
  if (frame.code === "already_claimed") {
    status(t("claimed_elsewhere"));
    return;
  }
  status(t("error_generic", { message: errorText(frame) }));
}

function setDuty(value) {
  onDuty = Boolean(value);
  const button = $("#duty-toggle");
  button.setAttribute("aria-pressed", String(onDuty));
  button.textContent = onDuty ? t("on_duty") : t("off_duty");
}

function toggleDuty() {
  unlockAudio();
  send({ type: "duty.set", on_duty: !onDuty });
}

$("#duty-toggle").addEventListener("click", toggleDuty);
// Sound needs a gesture on the page first: any click or key unlocks the P1 beep.
document.addEventListener("pointerdown", unlockAudio, { once: true });
document.addEventListener("keydown", unlockAudio, { once: true });

const onActive = (fn) => () => {
  const chat = chats.active();
  if (chat && !chat.ended) fn(chat);
};
installShortcuts({
  takeNext: () => {
    const first = queue.first();
    if (first) claim(first.id);
  },
  nextChat: () => {
    layout.showChat();
    chats.step(1, true);
  },
  previousChat: () => {
    layout.showChat();
    chats.step(-1, true);
  },
  focusReply: onActive((chat) => {
    layout.showChat();
    chat.setToolsOpen(false);
    chat.reply.focus();
  }),
  focusArticles: onActive((chat) => {
    layout.showChat();
    chat.showTool("articles");
    chat.articles.searchInput?.focus();
  }),
  focusNote: onActive((chat) => {
    layout.showChat();
    chat.showTool("notes");
    chat.noteInput.focus();
  }),
  escalate: onActive((chat) => actions.escalate(chat)),
  refer: onActive((chat) => actions.refer(chat)),
  close: onActive((chat) => actions.close(chat)),
  toggleDuty,
});

socket.connect();
