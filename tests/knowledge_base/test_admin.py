"""Supervisors edit articles in the admin, see the sanitised rendering and what is missing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from knowledge_base.models import Article, Translation
from knowledge_base.services.permissions import editor_permissions_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    # No password: hashing one would cost more than the test itself.
    return get_user_model().objects.create_superuser("root", email="", password=None)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def half_translated(make_article):
    return make_article(
        "half",
        {"pl": ("Pół", "Treść"), "en": ("Half", "Body"), "cs": ("Půl", "Obsah")},
    )


def test_completeness_table_shows_which_ui_languages_are_missing(admin_client, half_translated):
    response = admin_client.get("/admin/knowledge_base/article/completeness/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 article lacks a required interface language." in html
    add = "/admin/knowledge_base/translation/add/"
    for code in ("uk", "de"):
        assert f'href="{add}?article={half_translated.pk}&amp;language={code}"' in html
    for code in ("pl", "en", "cs"):
        assert f"language={code}" not in html
    assert html.count('class="kb-missing"') == 2


def test_changelist_has_a_missing_languages_column_and_a_link_to_the_table(
    admin_client, half_translated
):
    html = admin_client.get("/admin/knowledge_base/article/").content.decode()
    assert "missing ui languages" in html.lower()
    assert "uk de" in html
    assert "/admin/knowledge_base/article/completeness/" in html


def test_translation_page_previews_the_sanitised_rendering(admin_client, make_article):
    article = make_article(
        "risky",
        {"en": ("Risky", "**Bold** <script>alert(1)</script> [x](javascript:alert(1))")},
    )
    translation = article.translations.get()
    html = admin_client.get(
        f"/admin/knowledge_base/translation/{translation.pk}/change/"
    ).content.decode()
    assert '<div class="kb-preview"><p><strong>Bold</strong> alert(1) <a rel=' in html
    assert "<script>alert(1)</script>" not in html
    assert "javascript:alert" not in html.split('class="kb-preview"')[1].split("</div>")[0]


def test_saving_a_translation_in_the_admin_renders_it(admin_client, make_article):
    article = make_article("to-translate", {"en": ("English", "Text")})
    response = admin_client.post(
        "/admin/knowledge_base/translation/add/",
        {
            "article": article.pk,
            "language": "de",
            "title": "Deutsch",
            "summary": "",
            "keywords": "",
            "body": "- Erstens\n- Zweitens",
        },
    )
    assert response.status_code == 302
    translation = Translation.objects.get(article=article, language="de")
    assert translation.rendered_html == "<ul>\n<li>Erstens</li>\n<li>Zweitens</li>\n</ul>"
    assert translation.checklist_items == ["Erstens", "Zweitens"]


def test_creating_an_article_with_translations_renders_them_and_records_the_author(
    admin_client, admin_user
):
    prefix = "translations"
    response = admin_client.post(
        "/admin/knowledge_base/article/add/",
        {
            "slug": "new-article",
            "kind": "guidance",
            "categories": ["phishing", "account_takeover"],
            "published": "on",
            "position": "5",
            "last_reviewed": "",
            "author": "",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-language": "uk",
            f"{prefix}-0-title": "Нова стаття",
            f"{prefix}-0-summary": "",
            f"{prefix}-0-keywords": "",
            f"{prefix}-0-body": "Телефонуйте **112**",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="new-article")
    assert article.categories == ["phishing", "account_takeover"]
    assert article.author == admin_user
    assert article.translations.get().rendered_html == "<p>Телефонуйте <strong>112</strong></p>"


def test_supervisors_with_staff_access_can_open_the_editor_and_officers_cannot(client):
    editor_permissions_grant()
    user_model = get_user_model()
    supervisor = user_model.objects.create_user("sup", password=None, is_staff=True)
    supervisor.groups.add(Group.objects.get(name="supervisors"))
    officer = user_model.objects.create_user("off", password=None)

    client.force_login(officer)
    assert client.get("/admin/knowledge_base/article/completeness/").status_code == 302

    client.force_login(supervisor)
    assert client.get("/admin/knowledge_base/article/completeness/").status_code == 200
    assert client.get("/admin/knowledge_base/article/add/").status_code == 200
    assert client.get("/admin/knowledge_base/cannedreply/").status_code == 200


def test_staff_without_knowledge_base_rights_cannot_see_the_table(client):
    staff = get_user_model().objects.create_user("staff", password=None, is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/knowledge_base/article/completeness/").status_code == 403


def test_article_change_page_shows_every_translation_with_its_preview(admin_client, make_article):
    article = make_article(
        "two-languages", {"pl": ("Tytuł", "Zadzwoń pod **112**"), "en": ("Title", "Call 112")}
    )
    response = admin_client.get(f"/admin/knowledge_base/article/{article.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="kb-preview"><p>Zadzwoń pod <strong>112</strong></p></div>' in html
    assert '<div class="kb-preview"><p>Call 112</p></div>' in html
    assert "knowledge_base/admin.css" in html
