// The officer's conversations: one tab and panel each, unread counts, replies, the tools
// beside them (articles, canned replies, notes, triage, case) and transfers. Frames go out through `send`; nothing here parses frames
// from the socket except what the dispatcher hands to a Chat.

import { announce } from "../common/announce.js";
import { markBidiControls } from "../common/bidi.js";
import { config } from "../common/config.js";
import { $, el } from "../common/dom.js";
import { errorText, formatTime, t } from "../common/i18n.js";
import { newClientId } from "../common/ids.js";
import { MessageList } from "../common/messagelist.js";
import { Outbox } from "../common/outbox.js";
import { categoryLabel, languageLabel } from "./alerts.js";
import { ArticleTool } from "./articles.js";
import { expandShortcut, hasCanned, renderCanned } from "./canned.js";
import { reasonTexts } from "./reasons.js";
import { ToolTabs } from "./tooltabs.js";
import { markWhisper } from "./watching.js";

const TYPING_SEND_EVERY_MS = 3000;
const TYPING_SHOW_MS = 5000;

function senderLabel(frame) {
  if (frame.sender === "citizen") return t("citizen");
  if (frame.sender === "officer") return frame.author_name || (frame.seq === null ? t("you") : t("adviser"));
  return t("system");
}

export class Chat {
  constructor(manager, card) {
    this.manager = manager;
    this.id = card.id;
    this.card = { ...card };
    this.ready = false;
    this.opened = false;
    this.ended = false;
    this.unread = 0;
    this.notes = new Map();
    this.lastTypingSent = 0;
    this.typingTimer = null;
    this.build();
    // Replies leave one at a time and in order, paced under the socket's frame limit.
    this.outbox = new Outbox({
      socket: manager.socket,
      messages: this.messages,
      frameFor: (item) => ({ type: "message.send", conversation_id: this.id, client_id: item.client_id, text: item.text }),
      t,
    });
    this.update(card);
  }

  build() {
    const suffix = `c${this.id}`;
    const fragment = $("#chat-panel-template").content.cloneNode(true);
    const attrs = ["id", "for", "aria-describedby", "aria-controls", "aria-labelledby"];
    for (const node of fragment.querySelectorAll(attrs.map((a) => `[${a}]`).join(", "))) {
      for (const attr of attrs) {
        const value = node.getAttribute(attr);
        if (value && value.includes("__")) node.setAttribute(attr, value.replaceAll("__", suffix));
      }
    }
    this.panel = fragment.querySelector(".chat-panel");
    this.panel.id = `panel-${suffix}`;
    this.panel.setAttribute("aria-labelledby", `tab-${suffix}`);
    this.panel.hidden = true;
    this.tab = el("button", {
      type: "button", role: "tab", class: "chat-tab", id: `tab-${suffix}`,
      "aria-controls": this.panel.id, "aria-selected": "false", tabindex: "-1",
    });
    this.tabLabel = el("span", {});
    this.tabUnread = el("span", { class: "unread", hidden: true });
    this.tab.append(this.tabLabel, this.tabUnread);
    this.tab.addEventListener("click", () => this.manager.activate(this.id, false));
    this.list = this.panel.querySelector(".messages");
    this.messages = new MessageList(this.list, { mySender: "officer", senderLabel, t, shownText: markBidiControls });
    // The list scrolls inside itself: it follows new messages while the officer reads at its
    // end, and keeps their place while they read further up.
    this.atEnd = true;
    this.savedScroll = 0;
    this.list.addEventListener("scroll", () => {
      if (!this.list.clientHeight) return;
      this.savedScroll = this.list.scrollTop;
      this.atEnd = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 48;
    });
    this.reply = this.panel.querySelector(".reply");
    this.noteInput = this.panel.querySelector(".note-input");
    this.tools = new ToolTabs(this.panel.querySelector(".chat-tools"), {
      onSelect: (name) => {
        if (name === "notes") this.unreadNotes = 0;
      },
    });
    this.toolsToggle = this.panel.querySelector(".act-tools");
    this.articles = new ArticleTool(this.panel.querySelector(".articles"), {
      insert: (slug) => this.insertArticle(slug),
      preview: (slug) => this.send({ type: "article.preview", conversation_id: this.id, slug }),
      search: (query) => this.send({ type: "article.search", query, language: this.card.language || "" }),
    });
    this.wire();
  }

  send(frame) {
    return this.manager.send(frame);
  }

  /**
   * Where the tools do not fit beside the conversation, they replace it while open (the
   * header with this toggle stays). At a desk both are always shown.
   */
  setToolsOpen(open) {
    this.toolsToggle.setAttribute("aria-expanded", String(open));
    this.panel.dataset.toolsOpen = String(open);
    if (!open) this.restoreScroll();
  }

  /** After the list was hidden (another tab, view or the tools) or grew: back to its place. */
  restoreScroll() {
    if (!this.list.clientHeight) return;
    this.list.scrollTop = this.atEnd ? this.list.scrollHeight : this.savedScroll;
  }

  /** Bring the tool `name` into view (e.g. for a keyboard shortcut). */
  showTool(name) {
    this.tools.select(name, false);
    this.setToolsOpen(true);
  }

  /** True when the tool `name` is on screen. */
  toolShown(name) {
    return this.tools.selected === name && this.manager.isVisible(this.id) && this.panel.querySelector(".chat-tools").offsetParent !== null;
  }

  wire() {
    const composer = this.panel.querySelector(".composer");
    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.reply.value.trim();
      if (!text || this.ended) return;
      this.sendMessage(text);
      this.lastTypingSent = 0;
      this.reply.value = "";
      this.reply.focus();
    });
    this.reply.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit();
      } else if (event.key === "Tab" && !event.shiftKey) {
        const expanded = expandShortcut(this.reply, this.card.language);
        if (expanded === true) {
          event.preventDefault();
        } else if (typeof expanded === "string") {
          event.preventDefault();
          this.manager.status(t("canned_unknown", { shortcut: expanded }));
        }
      }
    });
    this.reply.addEventListener("input", () => {
      const now = Date.now();
      if (this.ready && now - this.lastTypingSent > TYPING_SEND_EVERY_MS) {
        this.lastTypingSent = now;
        this.manager.socket.send({ type: "typing", conversation_id: this.id }, { optional: true });
      }
    });
    this.panel.querySelector(".note-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.noteInput.value.trim();
      if (!text) return;
      const clientId = newClientId();
      this.addNote({ id: null, client_id: clientId, author_name: t("you"), text, created_at: new Date().toISOString() }, true);
      this.send({ type: "note.add", conversation_id: this.id, client_id: clientId, text });
      this.noteInput.value = "";
    });
    this.panel.querySelector(".override-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      const frame = { type: "conversation.override", conversation_id: this.id };
      for (const field of ["category", "urgency", "language"]) {
        if (data.get(field) && data.get(field) !== this.card[field]) frame[field] = data.get(field);
      }
      if (Object.keys(frame).length > 2) this.send(frame);
    });
    this.toolsToggle.addEventListener("click", () => this.setToolsOpen(this.toolsToggle.getAttribute("aria-expanded") !== "true"));
    this.panel.querySelector(".act-transfer").addEventListener("click", () => this.manager.actions.transfer(this));
    this.panel.querySelector(".act-escalate").addEventListener("click", () => this.manager.actions.escalate(this));
    this.panel.querySelector(".act-refer").addEventListener("click", () => this.manager.actions.refer(this));
    this.panel.querySelector(".act-close").addEventListener("click", () => this.manager.actions.close(this));
    const dismiss = this.panel.querySelector(".act-dismiss");
    dismiss.textContent = t("close_tab");
    dismiss.addEventListener("click", () => this.manager.remove(this.id));
  }

  /** A conversation card from the server. */
  update(card) {
    this.card = { ...this.card, ...card };
    const c = this.card;
    const title = t("conversation", { id: this.id });
    this.panel.querySelector(".chat-title").textContent = title;
    this.tabLabel.textContent = `${c.urgency ? `${c.urgency} · ` : ""}${title}`;
    const urgency = (config.urgencies && config.urgencies[c.urgency]) || c.urgency || "";
    this.panel.querySelector(".chat-badges").replaceChildren(
      urgency ? el("span", { class: `badge urgency-${c.urgency}` }, urgency) : "",
      c.category ? el("span", { class: "badge" }, categoryLabel(c.category)) : "",
      c.language ? el("span", { class: "badge", lang: c.language }, languageLabel(c.language)) : "",
      "citizen_online" in c ? el("span", { class: "badge" }, c.citizen_online ? `● ${t("citizen_online")}` : `○ ${t("citizen_away")}`) : "",
      c.left_message ? el("span", { class: "badge" }, t("left_message")) : "",
      c.possible_risk ? el("span", { class: "badge urgency-P2 possible-risk" }, `⚠ ${t("possible_risk")}`) : "",
    );
    const answers = this.panel.querySelector(".prechat-answers");
    const prechat = c.prechat || {};
    const items = [];
    if (prechat.what_happened) items.push([t("prechat_what"), categoryLabel(prechat.what_happened)]);
    for (const key of ["happening_now", "in_danger", "under_18"]) {
      if (typeof prechat[key] === "boolean") items.push([t(`prechat_${key}`), prechat[key] ? t("yes") : t("no")]);
    }
    answers.replaceChildren(...items.map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v))));
    const reasons = reasonTexts(c.reasons);
    this.panel.querySelector(".triage-reasons").replaceChildren(
      ...(reasons.length ? [el("p", { class: "hint" }, t("reasons")), el("ul", {}, ...reasons.map((r) => el("li", {}, r)))] : []),
    );
    const form = this.panel.querySelector(".override-form");
    for (const field of ["category", "urgency", "language"]) {
      if (c[field]) form.elements[field].value = c[field];
    }
    this.renderCanned();
  }

  renderCanned() {
    const language = this.card.language;
    if (language && !hasCanned(language) && !this.manager.cannedAsked.has(language)) {
      this.manager.cannedAsked.add(language);
      this.send({ type: "canned.list", language });
    }
    renderCanned(this.panel.querySelector(".canned-list"), language, this.reply);
  }

  onMessage(frame) {
    const isNew = this.messages.receive(frame);
    if (frame.sender === "officer" && frame.client_id) this.outbox.delivered(frame.client_id);
    this.restoreScroll();
    if (isNew && frame.sender === "citizen") {
      this.hideTyping();
      this.card.preview = frame.text.slice(0, 140);
      if (this.ready) {
        if (!this.manager.isVisible(this.id)) this.setUnread(this.unread + 1);
        announce(t("new_message_in", { id: this.id, text: frame.text }));
      }
    }
  }

  onAck(frame) {
    this.messages.ack(frame);
    this.outbox.delivered(frame.client_id);
    this.restoreScroll();
  }

  onReplayDone() {
    this.ready = true;
    this.outbox.setReady(true);
  }

  /** An error frame about one of this chat's replies or notes; true if it was. */
  onError(frame) {
    if (this.outbox.refused(frame)) return true;
    const note = this.notes.get(frame.ref);
    if (note) {
      note.querySelector(".meta").textContent = t("state_failed", { reason: errorText(frame) });
      return true;
    }
    return false;
  }

  sendMessage(text) {
    this.outbox.add(newClientId(), text);
    this.atEnd = true;
    this.restoreScroll();
  }

  /** The console's socket dropped: replies wait until the conversation is open again. */
  markQueued() {
    this.ready = false;
    this.outbox.setReady(false);
  }

  insertArticle(slug) {
    if (this.ended) return;
    this.send({ type: "article.insert", conversation_id: this.id, client_id: newClientId(), slug });
    this.manager.status(t("article_inserted"));
  }

  addNote(frame, pending = false) {
    const list = this.panel.querySelector(".note-list");
    const key = frame.client_id || `id-${frame.id}`;
    const existing = this.notes.get(key);
    const meta = el("p", { class: "meta" }, pending ? `${frame.author_name} · ${t("state_sending")}` : `${frame.author_name} · ${formatTime(new Date(frame.created_at))}`);
    const item = el("li", { "data-note-id": frame.id || "" }, meta, el("p", { class: "text", dir: "auto" }, markBidiControls(frame.text)));
    if (frame.whisper) markWhisper(item, frame);
    if (existing) existing.replaceWith(item);
    else list.append(item);
    this.notes.set(key, item);
    // A new note from someone else (a supervisor's whisper), not one replayed on opening.
    if (this.ready && !pending && !existing && !this.toolShown("notes")) {
      this.unreadNotes = (this.unreadNotes || 0) + 1;
      this.tools.mark("notes", t("unread", { count: this.unreadNotes }));
    }
    if (!pending && existing) this.manager.status(t("note_added"));
  }

  showTyping() {
    const node = this.panel.querySelector(".typing");
    node.textContent = t("citizen_typing");
    node.hidden = false;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.hideTyping(), TYPING_SHOW_MS);
  }

  hideTyping() {
    clearTimeout(this.typingTimer);
    this.panel.querySelector(".typing").hidden = true;
  }

  setUnread(count) {
    this.unread = count;
    this.tabUnread.hidden = count === 0;
    this.tabUnread.textContent = t("unread", { count });
    this.manager.updateTitle();
    this.manager.changed();
  }

  setCase(reference, url) {
    const box = this.panel.querySelector(".chat-case");
    box.replaceChildren(url ? el("a", { href: url }, t("cases"), " ", reference) : el("span", {}, t("cases"), " ", reference));
    this.panel.querySelector(".act-escalate").hidden = true;
    this.showTool("case");
  }

  /** The conversation left this officer (ended, transferred, handed back): read-only now. */
  end(text) {
    if (this.ended) return;
    this.ended = true;
    this.tab.dataset.ended = "true";
    this.hideTyping();
    const note = this.panel.querySelector(".ended-note");
    note.textContent = text;
    note.hidden = false;
    for (const node of this.panel.querySelectorAll(".composer, .override-form, .act-transfer, .act-escalate, .act-refer, .act-close")) {
      node.hidden = true;
    }
    this.panel.querySelector(".act-dismiss").hidden = false;
    this.outbox.clear();
    this.manager.changed();
  }
}

export class Chats {
  /** `isShown()` says whether the conversation view is on screen; `onChange()` follows
   * every change of the open conversations, their unread counts or the active one. */
  constructor({ socket, send, status, actions, isShown = () => true, onChange = () => {} }) {
    this.socket = socket;
    this.send = send;
    this.status = status;
    this.actions = actions;
    this.isShown = isShown;
    this.onChange = onChange;
    this.map = new Map();
    this.cannedAsked = new Set();
    this.activeId = null;
    this.tabs = $("#chat-tabs");
    this.panels = $("#chat-panels");
    this.tabs.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        this.step(event.key === "ArrowRight" ? 1 : -1, true);
      }
    });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && this.activeId !== null && this.isShown()) this.get(this.activeId).setUnread(0);
    });
  }

  get(id) {
    return this.map.get(Number(id)) || null;
  }

  all() {
    return Array.from(this.map.values());
  }

  ensure(card) {
    let chat = this.get(card.id);
    if (!chat) {
      chat = new Chat(this, card);
      this.map.set(chat.id, chat);
      this.tabs.append(chat.tab);
      this.panels.append(chat.panel);
      $("#no-chats").hidden = true;
      if (this.activeId === null) this.activate(chat.id, false);
      this.changed();
    } else if (card.status) {
      chat.update(card);
    }
    return chat;
  }

  isVisible(id) {
    return this.activeId === Number(id) && !document.hidden && this.isShown();
  }

  changed() {
    this.onChange();
  }

  activate(id, focusTab) {
    const chat = this.get(id);
    if (!chat) return;
    this.activeId = chat.id;
    for (const other of this.map.values()) {
      const selected = other === chat;
      other.tab.setAttribute("aria-selected", String(selected));
      other.tab.tabIndex = selected ? 0 : -1;
      other.panel.hidden = !selected;
    }
    chat.restoreScroll();
    if (this.isShown()) chat.setUnread(0);
    this.changed();
    if (focusTab) chat.tab.focus();
  }

  active() {
    return this.activeId === null ? null : this.get(this.activeId);
  }

  step(delta, focusTab) {
    const ids = Array.from(this.map.keys());
    if (!ids.length) return;
    const index = ids.indexOf(this.activeId);
    const next = ids[(index + delta + ids.length) % ids.length];
    this.activate(next, focusTab);
  }

  remove(id) {
    const chat = this.get(id);
    if (!chat) return;
    chat.tab.remove();
    chat.panel.remove();
    this.map.delete(chat.id);
    if (this.activeId === chat.id) {
      this.activeId = null;
      const first = this.map.keys().next();
      if (!first.done) this.activate(first.value, true);
    }
    $("#no-chats").hidden = this.map.size > 0;
    this.updateTitle();
    this.changed();
  }

  /** Route an `article.results` frame to the chat whose search it answers. */
  articleResults(frame) {
    const chat = this.all().find((c) => c.articles.pendingQuery === frame.query);
    if (chat) chat.articles.results(frame);
  }

  /** After a `canned.replies` frame: redraw the chats in that language. */
  cannedArrived(language) {
    for (const chat of this.all()) if (chat.card.language === language) chat.renderCanned();
  }

  updateTitle() {
    const unread = this.all().reduce((sum, chat) => sum + chat.unread, 0);
    const base = document.title.replace(/^\(\d+\) /, "");
    document.title = unread ? `(${unread}) ${base}` : base;
  }
}
