"""Public change notes: asked for when publishing, shown on the term page, /changes/ and its feed (terms/changes.py)."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from terms.bulk_publishing import publish_new_in_bulk, rebuild_derived
from terms.change_notes import NEW_TERM_NOTE, NOTE_REQUIRED, rebuild_changes, told
from terms.enums import ChangeKind
from terms.models import PublishedChange, PublishedTerm, Revision
from terms.publishing import publish, unpublish
from terms.workflow import Draft

from .conftest import change_form_data, read_page, save_working_copy

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def edit():
    """Save new content into a term's working copy, as the admin does; return the term."""

    def change(term, **fields):
        save_working_copy(term, **fields)
        return term

    return change


@pytest.fixture
def review(reviewer_client):
    """Post a decision on a term's review page, at the version the reviewer read."""

    def decide(term, **data):
        term.refresh_from_db()
        return reviewer_client.post(
            f"/admin/terms/term/{term.pk}/review/", {"edit_version": str(term.edit_version), **data}
        )

    return decide


def kinds(term) -> list[str]:
    return list(
        PublishedChange.objects.filter(term_id=term.pk).order_by("changed_at", "pk").values_list("kind", flat=True)
    )


# Publishing asks for a note ----------------------------------------------------------------------------------------


def test_publishing_a_live_term_without_note_nor_minor_is_refused(published_term, edit, review):
    edit(published_term, short_definition="A newer one-liner.")
    response = review(published_term, _publish="1")
    assert response.status_code == 200


def test_publishing_without_note_nor_minor_says_what_is_missing(published_term, edit, review):
    edit(published_term, short_definition="A newer one-liner.")
    response = review(published_term, _publish="1")
    assert NOTE_REQUIRED in response.content.decode()


def test_publishing_without_note_nor_minor_publishes_nothing(published_term, edit, review):
    edit(published_term, short_definition="A newer one-liner.")
    review(published_term, _publish="1")
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition != "A newer one-liner."


def test_publishing_with_a_note_publishes(published_term, edit, review):
    edit(published_term, short_definition="A newer one-liner.")
    review(published_term, _publish="1", public_note="A shorter one-liner.")
    assert PublishedTerm.objects.get(pk=published_term.pk).change_note == "A shorter one-liner."


def test_a_minor_publish_needs_no_note(published_term, edit, review):
    edit(published_term, short_definition="A newer one-liner.")
    review(published_term, _publish="1", minor="on")
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition == "A newer one-liner."


def test_a_first_publish_from_the_review_page_says_new_term(draft_term, review):
    review(draft_term, _publish="1")
    assert PublishedTerm.objects.get(pk=draft_term.pk).change_note == NEW_TERM_NOTE


def test_save_and_publish_without_a_note_is_a_form_error(reviewer_client, published_term):
    data = change_form_data(published_term, name="Gradient descent", slug="gradient-descent", _publish="1")
    response = reviewer_client.post(f"/admin/terms/term/{published_term.pk}/change/", data)
    assert "public_note" in response.context["adminform"].form.errors


def test_save_and_publish_without_a_note_saves_nothing(reviewer_client, published_term):
    data = change_form_data(
        published_term, name="Gradient descent", slug="gradient-descent", short_definition="Changed.", _publish="1"
    )
    reviewer_client.post(f"/admin/terms/term/{published_term.pk}/change/", data)
    published_term.refresh_from_db()
    assert published_term.short_definition != "Changed."


def test_save_and_publish_with_a_note_publishes_it(reviewer_client, published_term):
    data = change_form_data(
        published_term,
        name="Gradient descent",
        slug="gradient-descent",
        short_definition="Changed.",
        public_note="New one-liner.",
        _publish="1",
    )
    reviewer_client.post(f"/admin/terms/term/{published_term.pk}/change/", data)
    assert PublishedTerm.objects.get(pk=published_term.pk).change_note == "New one-liner."


def test_publish_selected_without_a_note_publishes_nothing(reviewer_client, published_term, edit):
    edit(published_term, short_definition="A newer one-liner.")
    data = {
        "action": "publish_selected",
        "_selected_action": [published_term.pk],
        "confirmed": "yes",
        f"edit_version-{published_term.pk}": str(published_term.edit_version),
    }
    response = reviewer_client.post("/admin/terms/term/", data)
    assert response.status_code == 200
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition != "A newer one-liner."


def test_publish_selected_with_a_note_records_it(reviewer_client, published_term, edit):
    edit(published_term, short_definition="A newer one-liner.")
    data = {
        "action": "publish_selected",
        "_selected_action": [published_term.pk],
        "confirmed": "yes",
        f"edit_version-{published_term.pk}": str(published_term.edit_version),
        "public_note": "Shorter.",
    }
    reviewer_client.post("/admin/terms/term/", data)
    assert PublishedTerm.objects.get(pk=published_term.pk).change_note == "Shorter."


# The published layer records the changes ----------------------------------------------------------------------------


def test_a_first_publish_is_a_new_term(published_term):
    assert kinds(published_term) == [ChangeKind.NEW]


def test_a_publish_with_a_note_is_an_update(published_term, edit):
    publish(edit(published_term, short_definition="Newer."), by=None, public_note="Newer one-liner.")
    assert kinds(published_term) == [ChangeKind.NEW, ChangeKind.UPDATED]


def test_a_minor_publish_is_not_listed(published_term, edit):
    publish(edit(published_term, short_definition="Newer."), by=None, minor=True)
    assert kinds(published_term) == [ChangeKind.NEW]


def test_a_minor_publish_keeps_the_last_update(published_term, edit):
    before = PublishedTerm.objects.get(pk=published_term.pk).changed_at
    publish(edit(published_term, short_definition="Newer."), by=None, minor=True)
    assert PublishedTerm.objects.get(pk=published_term.pk).changed_at == before


def test_a_republish_after_unpublishing_is_new_again(published_term):
    unpublish(published_term, by=None)
    publish(published_term, by=None)
    assert kinds(published_term) == [ChangeKind.NEW, ChangeKind.NEW]


def test_a_publish_that_deprecates_the_term_is_a_deprecation(published_term):
    values = {"deprecated_at": timezone.now()}
    assert told(published_term.pk, values, now=timezone.now(), note="Use another term.", minor=False) == "deprecated"


def test_deprecating_is_told_even_when_marked_minor(published_term):
    values = {"deprecated_at": timezone.now()}
    assert told(published_term.pk, values, now=timezone.now(), note="", minor=True) == "deprecated"


def test_a_bulk_publish_lists_new_terms(make_term):
    term = make_term("Bulk term")
    publish_new_in_bulk([Draft.load(term)], by=None)
    assert kinds(term) == [ChangeKind.NEW]


def test_rebuild_derives_the_changes_from_the_revisions(published_term, edit):
    publish(edit(published_term, short_definition="Newer."), by=None, public_note="Newer one-liner.")
    publish(edit(published_term, short_definition="Newest."), by=None, minor=True)
    unpublish(published_term, by=None)
    publish(published_term, by=None)
    PublishedChange.objects.all().delete()
    rebuild_changes()
    assert kinds(published_term) == [ChangeKind.NEW, ChangeKind.UPDATED, ChangeKind.NEW]


def test_rebuild_keeps_each_changes_note(published_term, edit):
    publish(edit(published_term, short_definition="Newer."), by=None, public_note="Newer one-liner.")
    PublishedChange.objects.all().delete()
    rebuild_changes()
    assert PublishedChange.objects.filter(term_id=published_term.pk, kind="updated").get().note == "Newer one-liner."


def test_rebuild_fills_the_pages_last_update(published_term, edit):
    publish(edit(published_term, short_definition="Newer."), by=None, public_note="Newer one-liner.")
    PublishedTerm.objects.update(change_note="", changed_at=None)
    rebuild_changes()
    assert PublishedTerm.objects.get(pk=published_term.pk).change_note == "Newer one-liner."


def test_rebuild_links_each_change_to_its_revision(published_term):
    rebuild_changes()
    revision = Revision.objects.get(term_id=published_term.pk, action="publish")
    assert PublishedChange.objects.get(term_id=published_term.pk).revision_id == revision.pk


def test_rebuild_published_writes_the_change_notes(published_term):
    PublishedChange.objects.all().delete()
    rebuild_derived()
    assert kinds(published_term) == [ChangeKind.NEW]


# Readers see them -------------------------------------------------------------------------------------------------


@pytest.fixture
def updated_term(published_term, edit):
    publish(edit(published_term, short_definition="Newer."), by=None, public_note="Clearer <one-liner> & more.")
    return published_term


def test_the_term_page_shows_the_last_note(client, updated_term):
    assert "Clearer &lt;one-liner&gt; &amp; more." in read_page(client, "/terms/gradient-descent/")


def test_the_term_page_says_when_it_was_last_updated(client, updated_term):
    today = timezone.localdate()
    assert f"{today:%-d %B %Y}</time>: Clearer" in read_page(client, "/terms/gradient-descent/")


def test_the_term_page_links_its_changes(client, published_term):
    assert 'href="/terms/gradient-descent/changes/">All changes to this term' in read_page(
        client, "/terms/gradient-descent/"
    )


def test_the_term_page_without_a_note_says_only_when(client, updated_term):
    PublishedTerm.objects.update(change_note="")
    assert "</time>.</p>" in read_page(client, "/terms/gradient-descent/")


def test_recent_changes_list_the_note(client, updated_term):
    assert "Clearer &lt;one-liner&gt; &amp; more." in read_page(client, "/changes/")


def test_recent_changes_link_the_term(client, updated_term):
    assert 'href="/terms/gradient-descent/">Gradient descent</a>' in read_page(client, "/changes/")


def test_recent_changes_list_the_newest_first(client, updated_term, make_term):
    publish(make_term("Zebra learning"), by=None)
    html = read_page(client, "/changes/")
    assert html.index("Zebra learning") < html.index("Gradient descent")


def test_recent_changes_filter_by_kind(client, updated_term):
    html = read_page(client, "/changes/?kind=updated")
    assert html.count('class="change change--') == 1


def test_recent_changes_of_an_unknown_kind_are_404(client, updated_term):
    assert client.get("/changes/?kind=renamed").status_code == 404


def test_recent_changes_leave_out_unpublished_terms(client, updated_term):
    unpublish(updated_term, by=None)
    assert "Gradient descent" not in read_page(client, "/changes/")


def test_recent_changes_link_their_feed(client, updated_term):
    assert 'rel="alternate" type="application/atom+xml" title="AI Glossary: recent changes" href="/changes/feed/"' in (
        read_page(client, "/changes/")
    )


def test_every_page_links_recent_changes(client, published_term):
    assert 'href="/changes/">Recent changes</a>' in read_page(client, "/")


def test_a_terms_changes_list_only_its_own(client, updated_term, make_term):
    publish(make_term("Zebra learning"), by=None)
    html = read_page(client, "/terms/gradient-descent/changes/")
    assert html.count('class="change change--') == 2


def test_a_terms_changes_of_an_unknown_term_are_404(client, db):
    assert client.get("/terms/nothing-here/changes/").status_code == 404


def test_the_changes_feed_carries_the_note(client, updated_term):
    feed = ET.fromstring(client.get("/changes/feed/").content)
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}summary") == "Clearer &lt;one-liner&gt; &amp; more."


def test_the_changes_feed_gives_each_change_its_own_id(client, updated_term):
    feed = ET.fromstring(client.get("/changes/feed/").content)
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(set(ids)) == 2


def test_the_changes_feed_is_atom(client, updated_term):
    assert client.get("/changes/feed/")["Content-Type"] == "application/atom+xml; charset=utf-8"


def test_the_sitemap_lists_recent_changes(client, published_term):
    assert "/changes/</loc>" in client.get("/sitemap-pages.xml").content.decode()


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(
    ("url", "queries"),
    # The site's generation, then the count and the page of changes (the term's own page: the term first).
    [("/changes/", 3), ("/changes/?kind=new", 3), ("/terms/term-0/changes/", 4), ("/changes/feed/", 2)],
)
def test_change_pages_run_a_constant_number_of_queries(
    client, make_term, django_assert_num_queries, size, url, queries
):
    for number in range(size):
        publish(make_term(f"Term {number}"), by=None)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
