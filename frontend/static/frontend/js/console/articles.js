// Knowledge-base articles in a conversation: suggestions, search, preview, one-click insert.

import { el } from "../common/dom.js";
import { t } from "../common/i18n.js";
import { articleFragment } from "../common/sanitize.js";
import { languageLabel } from "./alerts.js";

export class ArticleTool {
  /**
   * `insert(slug)`, `preview(slug)` and `search(query)` send the frames (`article.insert`,
   * `article.preview`, `article.search`); `root` is the panel's tool section.
   */
  constructor(root, { insert, preview, search }) {
    this.root = root;
    this.list = root.querySelector(".article-list");
    this.previewBox = root.querySelector(".article-preview");
    this.insert = insert;
    this.preview = preview;
    this.suggested = [];
    this.pendingQuery = null;
    const form = root.querySelector(".article-search");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const query = form.querySelector("input").value.trim();
      if (!query) {
        this.render(this.suggested);
        return;
      }
      this.pendingQuery = query;
      search(query);
    });
    this.render([]);
  }

  get searchInput() {
    return this.root.querySelector(".article-search input");
  }

  /** An `article.results` frame answering this tool's latest search. */
  results(frame) {
    this.pendingQuery = null;
    this.render(Array.isArray(frame.articles) ? frame.articles : [], t("no_results"));
  }

  /** A `suggestions` frame for this conversation. */
  suggest(articles) {
    this.suggested = Array.isArray(articles) ? articles : [];
    this.render(this.suggested);
  }

  render(articles, emptyText = t("no_suggestions")) {
    if (!articles.length) {
      this.list.replaceChildren(el("li", { class: "hint" }, emptyText));
      return;
    }
    this.list.replaceChildren(
      ...articles.map((article) => {
        const insert = el("button", { type: "button", class: "primary" }, t("insert"));
        const preview = el("button", { type: "button", class: "secondary" }, t("preview_article"));
        insert.addEventListener("click", () => this.insert(article.slug));
        preview.addEventListener("click", () => this.preview(article.slug));
        return el(
          "li",
          { "data-slug": article.slug },
          el("strong", { dir: "auto" }, article.title || article.slug),
          article.language ? el("span", { class: "hint" }, ` (${languageLabel(article.language)})`) : null,
          article.summary ? el("p", { class: "hint", dir: "auto" }, article.summary) : null,
          el("p", { class: "buttons" }, insert, preview),
        );
      }),
    );
  }

  /** An `article.preview` frame: what would go out, in which language. */
  showPreview(frame) {
    const insert = el("button", { type: "button", class: "primary" }, t("insert"));
    insert.addEventListener("click", () => this.insert(frame.slug));
    const body = el("div", { class: "article-body", lang: frame.language || null });
    body.append(articleFragment(frame.html));
    this.previewBox.replaceChildren(
      el("p", { class: "hint" }, t("preview_language", { language: languageLabel(frame.language), requested: languageLabel(frame.requested_language) })),
      el("h5", { dir: "auto" }, frame.title || frame.slug),
      body,
      insert,
    );
    this.previewBox.hidden = false;
  }
}
