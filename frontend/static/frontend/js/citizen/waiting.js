// While waiting: queue position and estimated wait, nobody-on-duty help, suggested articles,
// and the question which language to write in.

import { $, el } from "../common/dom.js";
import { formatDuration, formatNumber, t } from "../common/i18n.js";
import { articleFragment } from "../common/sanitize.js";

export function showWaiting(visible) {
  $("#waiting-panel").hidden = !visible;
}

/** A `queue.position` frame; fields other than `position` may be absent. Far back in the
 * queue the position is rounded (`approximate`) and said so. */
export function showQueuePosition(frame) {
  const key = frame.approximate === true ? "queue_position_about" : "queue_position";
  $("#queue-position").textContent = t(key, { position: formatNumber(frame.position) });
  const eta = $("#queue-eta");
  if (typeof frame.estimated_wait_seconds === "number") {
    eta.textContent = t("queue_eta", { duration: formatDuration(frame.estimated_wait_seconds) });
  } else if ("estimated_wait_seconds" in frame) {
    eta.textContent = t("queue_eta_unknown");
  } else {
    eta.textContent = "";
  }
  const onDuty = $("#queue-on-duty");
  const nobody = $("#nobody-on-duty");
  if (typeof frame.officers_on_duty === "number") {
    onDuty.textContent = t("queue_on_duty", { count: formatNumber(frame.officers_on_duty) });
    // Once the message is left, the notice saying so replaces the nobody-on-duty help.
    nobody.hidden = frame.officers_on_duty > 0 || !$("#message-left").hidden;
  } else {
    onDuty.textContent = "";
    nobody.hidden = true;
  }
}

/** A `suggestions` frame: articles readable inline. Only `html` is inserted as HTML. */
export function showSuggestions(frame) {
  const list = $("#suggestion-list");
  const articles = Array.isArray(frame.articles) ? frame.articles : [];
  // Money left minutes or hours ago: the bank may still stop it, so the first article
  // (stopping a transfer, with the bank emergency numbers) is open at once.
  const moving = frame.money_moving === true;
  $("#suggestions-heading").textContent = moving ? t("money_moving_heading") : t("suggestions_heading");
  $("#suggestions").classList.toggle("urgent", moving);
  list.replaceChildren(
    ...articles.map((article, index) => {
      const body = el("div", { class: "article-body" });
      body.append(articleFragment(article.html));
      return el(
        "details",
        { lang: article.language || null, "data-slug": article.slug, open: moving && index === 0 },
        el("summary", { dir: "auto" }, article.title || ""),
        article.summary ? el("p", { class: "summary-text", dir: "auto" }, article.summary) : null,
        body,
      );
    }),
  );
  $("#suggestions").hidden = articles.length === 0;
}

/** A `language.ask` frame: one button per candidate, each named in its own language. */
export function askLanguage(frame, choose) {
  const box = $("#language-ask");
  const choices = $("#language-ask-choices");
  const candidates = Array.isArray(frame.candidates) ? frame.candidates : [];
  choices.replaceChildren(
    ...candidates.map((candidate) => {
      const button = el("button", { type: "button", class: "secondary", lang: candidate.code }, candidate.name);
      button.addEventListener("click", () => {
        choose(candidate.code, candidate.name);
        box.hidden = true;
      });
      return button;
    }),
  );
  box.hidden = candidates.length === 0;
}

/**
 * A `safety.ask` frame: "Are you safe right now?" with the answers as buttons. One click
 * answers (`answer(code)`), hides the question and says what happens next.
 */
export function askSafety(frame, answer) {
  const box = $("#safety-ask");
  const answers = Array.isArray(frame.answers) ? frame.answers : [];
  for (const button of box.querySelectorAll("[data-safety-answer]")) {
    const code = button.dataset.safetyAnswer;
    button.hidden = !answers.includes(code);
    button.onclick = () => {
      answer(code);
      box.hidden = true;
      const done = $("#safety-answered");
      done.textContent = t(`safety_${code}`);
      done.hidden = false;
    };
  }
  box.hidden = answers.length === 0;
  if (!box.hidden) {
    $("#safety-answered").hidden = true;
    box.scrollIntoView({ block: "nearest" });
  }
}
