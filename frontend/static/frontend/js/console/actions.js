// Actions on a conversation that go over HTTP (escalate, refer) or through a dialog (close,
// transfer).

import { config } from "../common/config.js";
import { $ } from "../common/dom.js";
import { errorText, t } from "../common/i18n.js";

async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": config.csrf_token },
    body: JSON.stringify(body),
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  if (!response.ok) throw new Error(errorText(data));
  return data;
}

function urlFor(template, id) {
  return template.replace("{id}", encodeURIComponent(String(id)));
}

export class Actions {
  constructor({ send, status }) {
    this.send = send;
    this.status = status;
    this.target = null;
    const closeDialog = $("#close-dialog");
    closeDialog.addEventListener("close", () => {
      const chat = this.target;
      if (closeDialog.returnValue === "close" && chat) {
        this.send({ type: "conversation.close", conversation_id: chat.id, outcome: $("#close-outcome").value });
      }
      if (chat) chat.reply.focus();
    });
    const transferDialog = $("#transfer-dialog");
    transferDialog.addEventListener("close", () => {
      const chat = this.target;
      if (transferDialog.returnValue === "transfer" && chat && !chat.ended) {
        const officer = $("#transfer-officer").value;
        const frame = { type: "conversation.transfer", conversation_id: chat.id };
        if (officer) frame.officer_id = Number(officer);
        this.send(frame);
      }
    });
    const referDialog = $("#refer-dialog");
    referDialog.addEventListener("close", () => {
      const chat = this.target;
      if (referDialog.returnValue === "refer" && chat) this.sendReferral(chat);
    });
  }

  async escalate(chat) {
    try {
      const data = await postJSON(urlFor(config.escalate_url, chat.id), {});
      chat.setCase(data.reference, data.url);
      this.status(t("escalated", { reference: data.reference }));
    } catch (error) {
      this.status(t("request_failed", { message: error.message }));
    }
  }

  refer(chat) {
    this.target = chat;
    const dialog = $("#refer-dialog");
    $("#refer-form").reset();
    dialog.returnValue = "";
    dialog.showModal();
  }

  async sendReferral(chat) {
    const form = $("#refer-form");
    const body = {
      unit: form.elements.unit.value,
      reason: form.elements.reason.value,
      summary: form.elements.summary.value.trim(),
    };
    try {
      await postJSON(urlFor(config.refer_url, chat.id), body);
      this.status(t("referred"));
    } catch (error) {
      this.status(t("request_failed", { message: error.message }));
    }
  }

  transfer(chat) {
    this.target = chat;
    const dialog = $("#transfer-dialog");
    $("#transfer-form").reset();
    dialog.returnValue = "";
    dialog.showModal();
  }

  close(chat) {
    this.target = chat;
    const dialog = $("#close-dialog");
    dialog.returnValue = "";
    dialog.showModal();
  }
}
