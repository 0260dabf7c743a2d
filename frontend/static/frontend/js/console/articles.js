// Knowledge-base articles in a conversation: suggestions, search, preview, one-click insert.

import { config } from "../common/config.js";
import { el } from "../common/dom.js";
import { t } from "../common/i18n.js";
import { articleFragment } from "../common/sanitize.js";
import { languageLabel } from "./alerts.js";

export class ArticleTool {
  /** `insert(slug)` and `preview(slug)` send the frames; `root` is the panel's tool section. */
  constructor(root, { insert, preview }) {
    this.root = root;
    this.list = root.querySelector(".article-list");
    this.previewBox = root.querySelector(".article-preview");
    this.insert = insert;
    this.preview = preview;
    this.suggested = [];
    const form = root.querySelector(".article-search");
    if (!config.article_search_url) {
      form.hidden = true;
    } else {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.search(form.querySelector("input").value.trim());
      });
    }
    this.render([]);
  }

  get searchInput() {
    const form = this.root.querySelector(".article-search");
    return form.hidden ? this.list.querySelector("button") : form.querySelector("input");
  }

  /** A `suggestions` frame for this conversation. */
  suggest(articles) {
    this.suggested = Array.isArray(articles) ? articles : [];
    this.render(this.suggested);
  }

  async search(query) {
    if (!query) {
      this.render(this.suggested);
      return;
    }
    const url = new URL(config.article_search_url, location.href);
    url.searchParams.set("q", query);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      const results = Array.isArray(data) ? data : data.results || data.articles || [];
      this.render(results, t("no_results"));
    } catch (error) {
      this.render([], t("request_failed", { message: error.message }));
    }
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
