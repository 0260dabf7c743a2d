// Coming back: the resume code shown in the chat, the form that resumes with one, and
// leaving a message while nobody is on duty.

import { $ } from "../common/dom.js";

/** Show the six words (text only) in the chat and in the "message saved" notice. */
export function showCode(code) {
  const words = String(code || "").trim();
  for (const node of [$("#code-words"), $("#message-left-code")]) node.textContent = words;
  $("#code-box").hidden = words === "";
}

/** The start page's "Coming back?" form; `resume(code)` is called with what was typed. */
export function wireCodeForm(resume) {
  const form = $("#code-form");
  const input = $("#code-input");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = input.value.trim().replace(/\s+/g, " ");
    $("#code-error").textContent = "";
    if (!code) {
      input.focus();
      return;
    }
    resume(code);
  });
}

export function wireLeaveMessage(leave) {
  $("#leave-message").addEventListener("click", leave);
}
