// Referral decisions pushed to the officer who referred (`referral.decided`), shown as
// notices that stay until dismissed; P1 referrals waiting for this unit link to the inbox.

import { announce } from "../common/announce.js";
import { config } from "../common/config.js";
import { $, el } from "../common/dom.js";
import { t } from "../common/i18n.js";

function subject(frame) {
  if (frame.case_reference) return t("referral_case", { reference: frame.case_reference });
  return t("conversation", { id: frame.conversation_id });
}

/** Show a `referral.decided` frame as a notice in `#referral-notices`. */
export function showReferralDecision(frame) {
  const region = $("#referral-notices");
  const id = Number(frame.referral_id);
  region.querySelector(`[data-referral-id="${id}"]`)?.remove();
  const accepted = frame.decision === "accepted";
  const text = accepted
    ? t("referral_accepted", { unit: frame.unit, what: subject(frame) })
    : t("referral_declined", { unit: frame.unit, what: subject(frame) });
  const dismiss = el("button", { type: "button", class: "link" }, t("dismiss"));
  const notice = el(
    "li",
    { class: `referral-notice ${accepted ? "accepted" : "declined"}`, "data-referral-id": id, "data-decision": frame.decision },
    el("span", { class: "message-text" }, text),
    !accepted && frame.reason ? el("span", { class: "reason", dir: "auto" }, ` ${t("referral_reason", { reason: frame.reason })}`) : null,
    " ",
    dismiss,
  );
  dismiss.addEventListener("click", () => notice.remove());
  region.append(notice);
  announce(text);
}

/** The inbox, where a P1 referral to this unit waits for a decision. */
export function openReferralInbox() {
  if (config.inbox_url) window.location.assign(config.inbox_url);
}
