"""URL map of case records, mounted at ``/console/cases/``."""

from django.urls import URLPattern, URLResolver, path

from cases.views import actions, api, exports, pages, search

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.case_list, name="list"),
    path("inbox/", pages.referral_inbox, name="inbox"),
    path("search/", search.search_page, name="search"),
    path("<int:case_id>/", pages.case_detail, name="detail"),
    path("<int:case_id>/print/", pages.case_print_page, name="print"),
    path("<int:case_id>/export.json", exports.export_json, name="export_json"),
    path("<int:case_id>/stix.json", exports.export_stix, name="export_stix"),
    path("<int:case_id>/fields/", actions.case_fields, name="fields"),
    path("<int:case_id>/status/", actions.case_status, name="status"),
    path("<int:case_id>/legal-hold/", actions.legal_hold, name="legal_hold"),
    path("<int:case_id>/review-date/", actions.review_date, name="review_date"),
    path("<int:case_id>/losses/", actions.loss_add, name="loss_add"),
    path("<int:case_id>/losses/<int:loss_id>/remove/", actions.loss_remove, name="loss_remove"),
    path("<int:case_id>/checklist/", actions.checklist, name="checklist"),
    path("<int:case_id>/notes/", actions.note_add, name="note_add"),
    path(
        "<int:case_id>/indicators/extract/", actions.indicators_extract, name="indicators_extract"
    ),
    path("<int:case_id>/indicators/add/", actions.indicator_add, name="indicator_add"),
    path(
        "<int:case_id>/indicators/<int:indicator_id>/",
        actions.indicator_decision,
        name="indicator_decision",
    ),
    path("<int:case_id>/transcript/append/", actions.transcript_append, name="transcript_append"),
    path("<int:case_id>/refer/", actions.case_refer, name="refer"),
    path("referrals/<int:referral_id>/accept/", actions.referral_accept_view, name="accept"),
    path("referrals/<int:referral_id>/decline/", actions.referral_decline_view, name="decline"),
    path("escalate/<int:conversation_id>/", api.escalate, name="escalate"),
    path(
        "refer-conversation/<int:conversation_id>/",
        api.refer_conversation,
        name="refer_conversation",
    ),
]
