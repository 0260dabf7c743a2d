"""Translated text the browser pages need: JS strings and the vocabulary's labels.

Everything here is built per request inside the active language, so the pages hand the
browser finished, translated strings (through ``json_script``) and never translate in JS.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.error_messages import error_strings
from core.labels import CATEGORY_DESCRIPTIONS, choice_labels, translated
from core.vocabulary import Category, Outcome, Urgency


def category_labels() -> dict[str, str]:
    """Each triage category in plain words, as a citizen would describe it."""
    return translated(CATEGORY_DESCRIPTIONS)


def category_short_labels() -> dict[str, str]:
    """Short category names for staff screens."""
    return choice_labels(Category)


def urgency_labels() -> dict[str, str]:
    return choice_labels(Urgency)


def outcome_labels() -> dict[str, str]:
    return choice_labels(Outcome)


def language_names() -> dict[str, str]:
    """Every supported language, named in its own language."""
    return dict(settings.LANGUAGES)


def canned_replies() -> dict[str, list[dict[str, str]]]:
    """Canned replies per interface language: an officer writes in the citizen's language."""
    replies: dict[str, list[dict[str, str]]] = {}
    for code in settings.UI_LANGUAGES:
        with translation.override(code):
            replies[code] = [
                {
                    "shortcut": "hello",
                    "text": _(
                        "Hello, I am a police officer on duty. I have read your message "
                        "and I will help you now."
                    ),
                },
                {
                    "shortcut": "bank",
                    "text": _(
                        "Please call your bank right now using the number on your card and "
                        "ask them to block the card and stop the transfer. Then come back here."
                    ),
                },
                {
                    "shortcut": "evidence",
                    "text": _(
                        "Please do not delete anything: keep the messages, screenshots, "
                        "phone numbers, account numbers and links. They are evidence."
                    ),
                },
                {
                    "shortcut": "danger",
                    "text": _(
                        "If you are in danger right now, call 112. I will stay here with you."
                    ),
                },
                {
                    "shortcut": "report",
                    "text": _(
                        "You can report this at any police station. Quote the case reference "
                        "I will give you, and bring the evidence you kept."
                    ),
                },
                {
                    "shortcut": "wait",
                    "text": _("Thank you. Please give me a moment to check this."),
                },
                {
                    "shortcut": "bye",
                    "text": _(
                        "Thank you for contacting us. If anything else happens, you can "
                        "write again at any time."
                    ),
                },
            ]
    return replies


def common_strings() -> dict[str, str]:
    """Strings every page's scripts use (connection state, delivery state, times)."""
    return {
        "conn_connecting": _("Connecting…"),
        "conn_open": _("Connected"),
        "conn_offline": _("Connection lost. Reconnecting…"),
        "conn_offline_now": _(
            "You are offline. Messages you write will be sent when you are back."
        ),
        "conn_closed": _("Disconnected."),
        "conn_login": _("Your session has ended. Please log in again."),
        "state_sending": _("Sending…"),
        "state_sent": _("Sent"),
        "state_queued": _("Not sent yet – will be sent when the connection is back"),
        "state_failed": _("Not sent: %(reason)s"),
        "retry": _("Try again"),
        "failed_offline": _("no connection for over a minute"),
        "failed_busy": _("the service is overloaded right now"),
        "failed_refused": _("the service did not accept it"),
        "you": _("You"),
        "adviser": _("Adviser"),
        "citizen": _("Citizen"),
        "system": _("Notice"),
        "article": _("Article"),
        "language_of_article": _("Article language: %(language)s"),
        "error_generic": _("Something went wrong: %(message)s"),
        **error_strings(),
        "error_text_too_long": _("the message is too long (at most 4,000 characters)"),
        "error_text_empty": _("the message is empty"),
        "error_rate_limited": _("too many messages in a short time; retrying"),
        "error_ended": _("the conversation has ended"),
        "case_reference": _("Case reference: %(reference)s"),
    }


def code_hours() -> int:
    """How many hours a resume code keeps working after the citizen left (rounded up)."""
    return max(1, math.ceil(settings.CITIZEN_CODE_RESUME_SECONDS / 3600))


def staff_session_strings() -> dict[str, str]:
    """Why a console's login ended (``session.revoked`` reasons, ``docs/protocol.md``)."""
    return {
        "session_logged_out": _("You were logged out. Please log in again."),
        "session_expired": _("Your session expired. Please log in again."),
        "session_account_disabled": _("Your account has been disabled."),
        "session_role_removed": _("Your account no longer has access to this page."),
        "session_password_changed": _("Your password was changed. Please log in again."),
        "session_device_revoked": _(
            "Your authenticator app was removed. Please log in again and set it up."
        ),
    }


def citizen_strings() -> dict[str, str]:
    code_minutes = max(1, settings.RESUME_CODE_WINDOW_SECONDS // 60)
    return {
        **common_strings(),
        "queue_position": _("You are number %(position)s in the queue."),
        "queue_position_about": _("You are about number %(position)s in the queue."),
        "queue_eta": _("Estimated wait: about %(duration)s."),
        "queue_eta_unknown": _("We cannot estimate the wait right now."),
        "queue_on_duty": _("Advisers on duty: %(count)s."),
        "officer_joined": _("%(name)s has joined the conversation."),
        "officer_joined_anon": _("An adviser has joined the conversation."),
        "officer_reconnecting": _(
            "Your adviser's connection dropped. They are reconnecting – please stay here."
        ),
        "officer_returned": _("Your adviser is back."),
        "officer_left": _(
            "Your adviser was disconnected. You are back at the front of the queue; "
            "the next free adviser will continue."
        ),
        "transferred": _("Your conversation was passed to another adviser: %(name)s."),
        "transferred_queue": _(
            "Your conversation was passed on. The next free adviser will continue."
        ),
        "referred": _("Your conversation was passed to a partner unit."),
        "typing": _("%(name)s is typing…"),
        "ended_by_citizen": _("You ended the conversation."),
        "ended_by_officer": _("The adviser ended the conversation."),
        "ended_unanswered": _("You left before an adviser answered."),
        "ended_generic": _("The conversation has ended."),
        "start_wait": _(
            "Many conversations were started from your network in the last few minutes. "
            "Please wait a few minutes and try again. If you are in danger, call 112 now."
        ),
        "resume_failed": _(
            "Your previous conversation is no longer available. You can start a new one."
        ),
        "case_reference_hint": _(
            "Write it down: quote it at any police station or when you contact us again."
        ),
        "transcript_title": _("Conversation transcript"),
        "transcript_saved_at": _("Saved at %(time)s"),
        "transcript_filename": _("conversation"),
        "confirm_end": _("Do you want to end the conversation?"),
        "confirm_erase": _(
            "Erase this conversation? Everything you and the adviser wrote will be deleted "
            "for good and the conversation will end. This cannot be undone."
        ),
        "erased": _("Your conversation has been erased. Nothing you wrote is kept."),
        "error_escalated": _(
            "This conversation is now a police case, so it can no longer be erased here."
        ),
        "rating_thanks": _("Thank you for your feedback."),
        "new_message_from": _("New message from %(name)s: %(text)s"),
        "language_changed": _("Language changed to %(language)s."),
        "message_left": _(
            "Your message is saved. Come back with your code to read the adviser's answer."
        ),
        "leave_write_first": _("Write your message first, then leave it."),
        "suggestions_heading": _("While you wait, this may help"),
        "money_moving_heading": _("Sent money minutes or hours ago? Call your bank now"),
        "safety_not_safe": _(
            "If you are in immediate danger, call 112 now. An adviser will answer you first."
        ),
        "safety_safe": _("Thank you. An adviser will answer you soon."),
        "safety_no_answer": _(
            "That is all right. An adviser will answer you soon. If you are in danger, call 112."
        ),
        "code_invalid": _("No conversation has this code. Check the words and try again."),
        "code_too_many": ngettext(
            "Too many attempts with a code. Please wait %(minutes)s minute and try again.",
            "Too many attempts with a code. Please wait %(minutes)s minutes and try again.",
            code_minutes,
        )
        % {"minutes": code_minutes},
    }


def console_strings() -> dict[str, str]:
    return {
        **common_strings(),
        **staff_session_strings(),
        "on_duty": _("On duty"),
        "off_duty": _("Off duty"),
        "take": _("Take"),
        "waiting_for": _("waiting %(duration)s"),
        "requeued": _("Returned to the queue"),
        "for_my_unit": _("Referred to your unit"),
        "speaks_language": _("You speak this language"),
        "no_language_match": _("You do not list this language"),
        "queue_empty": _("Nobody is waiting."),
        "preview": _("Last message"),
        "reasons": _("Why this urgency"),
        "possible_risk": _("Possible risk – ask if safe"),
        "p1_alert": _("Critical conversation waiting: %(category)s, %(language)s."),
        "p1_take": _("Open the queue entry"),
        "dismiss": _("Dismiss"),
        "unread": _("%(count)s unread"),
        "citizen_online": _("Citizen online"),
        "citizen_offline": _("Citizen offline"),
        "citizen_away": _("Citizen away – can come back with their code"),
        "citizen_away_short": _("Citizen away"),
        "left_message": _("Message left"),
        "citizen_typing": _("The citizen is typing…"),
        "ended": _("This conversation has ended."),
        "citizen_left": _(
            "The citizen left with the quick exit. The conversation has ended and cannot be "
            "reopened by them."
        ),
        "citizen_erased": _(
            "The citizen erased this conversation. Its messages and notes have been deleted."
        ),
        "close_tab": _("Close tab"),
        "claimed_elsewhere": _("Another officer took this conversation first."),
        "note_added": _("Note added."),
        "article_inserted": _("Article sent."),
        "no_suggestions": _("No suggested articles yet."),
        "no_results": _("No articles found."),
        "insert": _("Insert"),
        "preview_article": _("Preview"),
        "preview_language": _("Would be sent in %(language)s (requested: %(requested)s)."),
        "escalated": _("Case %(reference)s opened."),
        "referred": _("Referral sent."),
        "request_failed": _("The request failed: %(message)s"),
        "transferred": _("The conversation was transferred."),
        "override_saved": _("Triage corrected."),
        "closed": _("Conversation closed."),
        "new_message_in": _("New message in conversation %(id)s: %(text)s"),
        "conversation": _("Conversation %(id)s"),
        "prechat_what": _("What happened"),
        "prechat_happening_now": _("Happening now"),
        "prechat_in_danger": _("In danger"),
        "prechat_under_18": _("Under 18"),
        "yes": _("yes"),
        "no": _("no"),
        "canned_unknown": _("No canned reply is called “%(shortcut)s”."),
        "cases": _("Case"),
        "referral_case": _("Case %(reference)s"),
        "referral_accepted": _("%(unit)s accepted your referral: %(what)s."),
        "referral_declined": _("%(unit)s declined your referral: %(what)s."),
        "referral_reason": _("Reason: %(reason)s"),
        "referred_away": _(
            "The partner unit accepted the referral; the conversation waits in its queue."
        ),
        "supervisor_watching": _("%(name)s (supervisor) is watching this conversation."),
        "whisper_from": _("Private note from %(name)s (supervisor)"),
    }


def breakdown_labels() -> dict[str, str]:
    return {
        "": "",
        "language": _("by language"),
        "urgency": _("by urgency"),
        "category": _("by category"),
        "unit": _("by unit"),
        "officer": _("by officer"),
    }


def supervisor_strings() -> dict[str, str]:
    return {
        **common_strings(),
        **staff_session_strings(),
        "updated_at": _("Updated %(time)s"),
        "no_data": _("no data"),
        "p1_alert": _("Critical conversation waiting: %(category)s, %(language)s."),
        "p1_take": _("Show in the live view"),
        "dismiss": _("Dismiss"),
        "load_failed": _("Could not load the statistics: %(message)s"),
        "waiting_total": _("Waiting"),
        "p1_waiting": _("P1 waiting"),
        "longest_wait": _("Longest wait"),
        "active": _("In conversation"),
        "officers_on_duty": _("Officers on duty"),
        "officers_online": _("%(count)s online"),
        "load": _("Chats / capacity"),
        "none": _("none"),
        "no_officer_for": _("Nobody on duty speaks: %(languages)s"),
        "all_languages_covered": _("Every waiting language has an officer on duty."),
        "online": _("online"),
        "offline": _("offline"),
        "waiting_for": _("waiting %(duration)s"),
        "conversation": _("Conversation %(id)s"),
    }


def watch_strings() -> dict[str, str]:
    """The supervisor's read-only conversation page."""
    return {
        **common_strings(),
        "note_added": _("Note added."),
        "whisper_sent": _("Private note sent to the officer."),
        "whisper_label": _("Private note from %(name)s (supervisor)"),
        "ended": _("This conversation has ended."),
        "justification_expired": _(
            "The reason you gave for opening this conversation has expired. Reload the page "
            "to give it again."
        ),
        "prechat_under_18": _("Under 18"),
        "yes": _("yes"),
    }
