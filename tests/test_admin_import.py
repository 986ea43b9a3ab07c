"""The admin's import (upload → preview → apply) and export screens, and who may use them."""

import os
import re
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terms.admin_import import change_set_url
from terms.exporting import export
from terms.models import Revision, Term
from terms.models.changesets import ChangeSet
from terms.models.published import PublishedTerm

IMPORT_URL = reverse("admin:terms_term_import")
APPLY_URL = reverse("admin:terms_term_import_apply")
EXPORT_URL = reverse("admin:terms_term_export")
GOOD = b"name,short_definition,relations\r\nLoRA,A cheap way to fine-tune.,\r\nAdapter,Small layers.,related: LoRA\r\n"
BAD = b"name,short_definition,relations\r\nLoRA,A cheap way to fine-tune.,\r\nAdapter,Small layers.,related: QLoRA\r\n"


@pytest.fixture(autouse=True)
def uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, data: bytes, name: str = "terms.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


def test_the_import_page_has_a_labelled_file_field(editor_client, html_of):
    assert '<label class="required" for="id_file">Glossary file:</label>' in html_of(editor_client, IMPORT_URL)


def test_the_preview_lists_each_row_with_its_result(editor_client):
    response = upload(editor_client, GOOD)
    assert re.findall(
        r"<td>(\d+)</td>\s*<th scope=\"row\">([^<]+)</th>\s*<td>(\w+)</td>", response.content.decode()
    ) == [
        ("2", "LoRA", "Created"),
        ("3", "Adapter", "Created"),
    ]


def test_the_preview_is_a_table_with_a_caption(editor_client):
    assert "<caption>Each row of the file" in upload(editor_client, GOOD).content.decode()


def test_the_preview_changes_nothing(editor_client):
    upload(editor_client, GOOD)
    assert Term.objects.count() == 0


def test_the_preview_names_the_line_and_reason_of_an_error(editor_client):
    page = upload(editor_client, BAD).content.decode()
    assert re.search(r"<td>3</td>\s*<th scope=\"row\">Adapter</th>\s*<td><strong>Error</strong></td>", page)


def test_the_preview_gives_the_reason_of_an_error(editor_client):
    assert "no term is called “QLoRA”" in upload(editor_client, BAD).content.decode()


def test_a_file_with_an_error_cannot_be_applied(editor_client):
    assert 'name="token"' not in upload(editor_client, BAD).content.decode()


def test_applying_imports_the_terms_in_review(editor_client):
    editor_client.post(APPLY_URL, {"token": token_of(upload(editor_client, GOOD))})
    assert sorted(Term.objects.values_list("name", "status")) == [("Adapter", "in_review"), ("LoRA", "in_review")]


def test_applying_makes_one_change_set_by_the_importer(editor_client, editor):
    editor_client.post(APPLY_URL, {"token": token_of(upload(editor_client, GOOD))})
    assert list(ChangeSet.objects.values_list("file_name", "created", "created_by")) == [("terms.csv", 2, editor.pk)]


def test_applying_publishes_nothing(editor_client):
    editor_client.post(APPLY_URL, {"token": token_of(upload(editor_client, GOOD))})
    assert PublishedTerm.objects.count() == 0


def test_applying_leads_to_the_change_set(editor_client):
    response = editor_client.post(APPLY_URL, {"token": token_of(upload(editor_client, GOOD))})
    assert (response.status_code, response["Location"]) == (302, change_set_url(ChangeSet.objects.get()))


def test_applying_twice_imports_once(editor_client):
    token = token_of(upload(editor_client, GOOD))
    editor_client.post(APPLY_URL, {"token": token})
    editor_client.post(APPLY_URL, {"token": token})
    assert ChangeSet.objects.count() == 1


def test_a_forged_token_is_refused(editor_client):
    response = editor_client.post(APPLY_URL, {"token": "forged"})
    assert (response.status_code, Term.objects.count()) == (302, 0)


def test_another_persons_upload_cannot_be_applied(client, editor, reviewer):
    client.force_login(editor)
    token = token_of(upload(client, GOOD))
    client.force_login(reviewer)
    client.post(APPLY_URL, {"token": token})
    assert Term.objects.count() == 0


def test_an_apply_after_the_glossary_changed_shows_the_new_errors_and_changes_nothing(editor_client, make_term):
    token = token_of(upload(editor_client, GOOD))
    make_term("Low-rank adaptation", slug="lora")
    response = editor_client.post(APPLY_URL, {"token": token})
    assert (response.status_code, ChangeSet.objects.count(), Revision.objects.count()) == (200, 0, 0)


def test_the_term_list_offers_import_and_export_to_editors(editor_client, html_of):
    page = html_of(editor_client, reverse("admin:terms_term_changelist"))
    assert (f'href="{IMPORT_URL}"' in page, f'href="{EXPORT_URL}"' in page) == (True, True)


def test_the_term_list_offers_no_import_to_those_who_may_not(client, django_user_model, html_of):
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_term"))
    client.force_login(user)
    assert f'href="{IMPORT_URL}"' not in html_of(client, reverse("admin:terms_term_changelist"))


@pytest.mark.parametrize("url", [IMPORT_URL, APPLY_URL])
def test_staff_without_term_permissions_may_not_import(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.post(url, {}).status_code == 403


def test_reviewers_may_import(reviewer_client):
    assert reviewer_client.get(IMPORT_URL).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(IMPORT_URL).status_code == 302


def test_the_export_page_offers_the_formats(editor_client, html_of):
    page = html_of(editor_client, EXPORT_URL)
    assert re.findall(r'name="format" value="(\w+)"', page) == ["csv", "json", "skos"]


def test_the_export_download_is_the_commands_bytes(editor_client, make_term):
    make_term("LoRA")
    response = editor_client.get(EXPORT_URL, {"format": "json", "scope": "working"})
    assert response.content == export("json")


def test_the_export_download_is_an_attachment_named_for_its_content(editor_client):
    response = editor_client.get(EXPORT_URL, {"format": "csv", "scope": "working"})
    assert response["Content-Disposition"] == 'attachment; filename="glossary-working-copies.csv"'


def test_staff_without_term_permissions_may_not_export(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.get(EXPORT_URL, {"format": "json", "scope": "working"}).status_code == 403


def kept_uploads(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_preview_keeps_the_upload_until_it_is_applied(editor_client, settings):
    upload(editor_client, GOOD)
    assert len(kept_uploads(settings)) == 1


def test_applying_deletes_the_kept_upload(editor_client, settings):
    editor_client.post(APPLY_URL, {"token": token_of(upload(editor_client, GOOD))})
    assert kept_uploads(settings) == []


def test_a_new_preview_deletes_uploads_kept_longer_than_a_day(editor_client, settings):
    upload(editor_client, GOOD)
    (abandoned,) = (settings.MEDIA_ROOT / "imports").iterdir()
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(abandoned, (two_days_ago, two_days_ago))
    upload(editor_client, GOOD)
    assert abandoned.name not in kept_uploads(settings)


def test_a_new_preview_keeps_the_uploads_still_waiting_to_be_applied(editor_client, settings):
    upload(editor_client, GOOD)
    upload(editor_client, GOOD)
    assert len(kept_uploads(settings)) == 2
