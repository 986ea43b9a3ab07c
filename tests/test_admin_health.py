"""The admin's "Glossary health" page: the health report for editors and reviewers, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from terms.models import Relation, Term
from terms.publishing import publish

HEALTH_URL = "/admin/terms/term/health/"


@pytest.fixture
def problems(make_term, relate):
    """A glossary with `size` of each kind of problem (a loop, a shared alias, an overdue orphan...)."""

    def make(size: int):
        for number in range(size):
            lower, upper = make_term(f"Lower {number}"), make_term(f"Upper {number}", aliases=f"Shared {number}")
            relate(lower, upper, Relation.Kind.BROADER)
            relate(upper, lower, Relation.Kind.BROADER)
            make_term(f"Other {number}", aliases=f"Shared {number}", pronunciation="oh-ther")
            page = make_term(f"Page {number}", explanation="Served on a GPU from a vector database.")
            relate(page, make_term(f"Draft {number}"))
            publish(page, by=None)
            # Publishing sets the review date a year ahead: this page's review is overdue since yesterday.
            Term.objects.filter(pk=page.pk).update(review_by=timezone.localdate() - timedelta(days=1))

    return make


def test_the_url_is_named():
    assert reverse("admin:terms_term_health") == HEALTH_URL


def test_an_editor_sees_the_page(editor_client):
    assert editor_client.get(HEALTH_URL).status_code == 200


def test_a_reviewer_sees_the_page(reviewer_client):
    assert reviewer_client.get(HEALTH_URL).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(HEALTH_URL)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/admin/login/")


def test_staff_without_permission_to_view_terms_are_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="pw-nobody-1234", is_staff=True))
    assert client.get(HEALTH_URL).status_code == 403


def test_a_clean_glossary_says_nothing_is_wrong(editor_client):
    assert "Nothing to fix: every check passed." in editor_client.get(HEALTH_URL).content.decode()


def test_the_counts_come_first(editor_client, problems):
    problems(1)
    assert "3 errors and 5 warnings." in editor_client.get(HEALTH_URL).content.decode()


def test_each_finding_links_to_its_terms_change_page(editor_client, problems, make_term):
    problems(1)
    other = make_term("Lone", pronunciation="lone")
    link = f'<a href="{reverse("admin:terms_term_change", args=[other.pk])}">Lone</a>'
    assert link in editor_client.get(HEALTH_URL).content.decode()


def test_each_check_with_findings_has_its_own_heading(editor_client, problems):
    problems(1)
    assert 'id="check-cycles-heading"' in editor_client.get(HEALTH_URL).content.decode()


def test_each_check_says_how_to_fix_it(editor_client, problems):
    problems(1)
    assert "Keep each alias on one term only" in editor_client.get(HEALTH_URL).content.decode()


def test_a_missing_phrase_lists_the_pages_using_it(editor_client, problems):
    problems(2)
    assert "“vector database” is used on 2 published pages" in editor_client.get(HEALTH_URL).content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_the_page_runs_a_fixed_number_of_queries(editor_client, problems, django_assert_num_queries, size):
    problems(size)
    with django_assert_num_queries(20):
        assert editor_client.get(HEALTH_URL).status_code == 200


def test_the_term_list_links_to_the_page(editor_client):
    assert f'href="{HEALTH_URL}"' in editor_client.get("/admin/terms/term/").content.decode()


def test_the_admin_home_links_to_the_page(editor_client):
    assert f'href="{HEALTH_URL}"' in editor_client.get("/admin/").content.decode()
