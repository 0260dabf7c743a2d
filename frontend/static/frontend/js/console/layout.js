// Where the console's parts are on screen. At a desk: queue | conversation | tools, all
// visible. On a phone (narrow screen): the queue and the conversation are separate views
// (`body[data-view]`), and the header's actions, with those of the open conversation, sit
// behind a menu button.

import { $ } from "../common/dom.js";
import { formatNumber, t } from "../common/i18n.js";

const NARROW = window.matchMedia("(max-width: 40rem)");

export class Layout {
  /** `chats` is the Chats manager; `actions(name, chat)` runs a conversation action. */
  constructor({ chats, actions }) {
    this.chats = chats;
    this.actions = actions;
    this.view = "queue";
    this.menuButton = $("#menu-button");
    this.menu = $("#console-menu");
    document.body.dataset.view = this.view;
    $("#to-queue").addEventListener("click", () => {
      this.showQueue();
      $("#queue-heading").focus();
    });
    $("#to-chats").addEventListener("click", () => {
      this.showChat();
      this.chats.active()?.tab.focus();
    });
    this.menuButton.addEventListener("click", () => this.setMenu(this.menuButton.getAttribute("aria-expanded") !== "true"));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.menuOpen) {
        this.setMenu(false);
        this.menuButton.focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (this.menuOpen && !this.menu.contains(event.target) && !this.menuButton.contains(event.target)) this.setMenu(false);
    });
    for (const button of this.menu.querySelectorAll("[data-action]")) {
      button.addEventListener("click", () => {
        const chat = this.chats.active();
        this.setMenu(false);
        if (chat && !chat.ended) this.actions(button.dataset.action, chat);
      });
    }
    $("#duty-toggle").addEventListener("click", () => this.setMenu(false));
    const shortcuts = $("#shortcuts");
    $("#shortcuts-open").addEventListener("click", () => {
      this.setMenu(false);
      shortcuts.showModal();
    });
    NARROW.addEventListener("change", () => {
      this.setMenu(false);
      this.refresh();
    });
    this.refresh();
  }

  get narrow() {
    return NARROW.matches;
  }

  get menuOpen() {
    return this.narrow && this.menuButton.getAttribute("aria-expanded") === "true";
  }

  setMenu(open) {
    this.menuButton.setAttribute("aria-expanded", String(open));
    this.menu.dataset.open = String(open);
  }

  /** True when the active conversation's messages are on screen. */
  chatShown() {
    return !this.narrow || this.view === "chat";
  }

  showQueue() {
    this.view = "queue";
    document.body.dataset.view = this.view;
    this.refresh();
    if (this.narrow) $("#queue-heading").scrollIntoView({ block: "nearest" });
  }

  showChat() {
    this.view = "chat";
    document.body.dataset.view = this.view;
    this.chats.active()?.restoreScroll();
    this.chats.active()?.setUnread(0);
    this.refresh();
  }

  /** Redraw the view switches and the menu's conversation actions. */
  refresh() {
    const all = this.chats.all();
    const unread = all.reduce((sum, chat) => sum + chat.unread, 0);
    $("#to-chats").hidden = all.length === 0;
    $("#to-chats-count").textContent = `(${formatNumber(all.length)})`;
    const badge = $("#to-chats-unread");
    badge.hidden = unread === 0;
    badge.textContent = t("unread", { count: formatNumber(unread) });
    $("#to-queue-count").textContent = $("#queue-count").textContent;
    const chat = this.chats.active();
    const group = $("#menu-chat-actions");
    group.hidden = !chat || chat.ended || this.view !== "chat";
    $("#menu-chat-title").textContent = chat ? t("conversation", { id: chat.id }) : "";
  }
}
