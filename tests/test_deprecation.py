"""Deprecating a published term: the banner, what it leaves and what still finds it, and the reviewer's screens."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL

from terms.deprecation import deprecate, pages_to_update, undeprecate
from terms.models import PublishedTerm, Term
from terms.publishing import publish, rollback, unpublish
from terms.queries import site_counts
from terms.workflow import Draft, record_save, snapshot


@pytest.fixture
def successor(make_term):
    term = make_term("Low-rank adaptation", short_definition="Fine-tuning a few small matrices.")
    publish(term, by=None)
    return term


@pytest.fixture
def old_term(make_term):
    term = make_term("Adapter tuning", short_definition="Training small layers inside a frozen model.", tags=["Old"])
    publish(term, by=None)
    return term


@pytest.fixture
def citing(make_term, old_term):
    """A published page whose text links to the term about to be deprecated."""
    term = make_term("Parameter efficiency", explanation="Adapter tuning was the first way to do it.")
    publish(term, by=None)
    return term


@pytest.fixture
def deprecated(old_term, successor, citing):
    deprecate(old_term, by=None, reason="Replaced by a cheaper method.", replaced_by=[successor])
    old_term.refresh_from_db()
    return old_term


def text(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    return response.content.decode()


# --- What readers see ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/terms/", "/terms/?letter=A", "/search/suggest?q=adapter"])
def test_a_deprecated_term_is_absent_from_lists_and_suggestions(client, deprecated, url):
    assert "/terms/adapter-tuning/" not in text(client, url)


def test_a_deprecated_term_leaves_its_tag_page(client, deprecated, make_term):
    other = make_term("Still listed", tags=["Old"])
    publish(other, by=None)
    assert "/terms/adapter-tuning/" not in text(client, "/tags/old/")


def test_a_tag_only_a_deprecated_term_has_has_no_page(client, deprecated):
    assert client.get("/tags/old/").status_code == 404


def test_a_deprecated_term_is_not_counted(deprecated):
    # Listed: the successor and the page that cited it.
    assert site_counts().term_count == 2


def test_pages_that_linked_a_deprecated_term_link_it_no_more(client, deprecated):
    assert 'href="/terms/adapter-tuning/"' not in text(client, "/terms/parameter-efficiency/")


def test_a_page_published_after_the_deprecation_does_not_link_it(client, deprecated, make_term):
    later = make_term("Later page", explanation="Adapter tuning, once popular.")
    publish(later, by=None)
    assert 'href="/terms/adapter-tuning/"' not in text(client, "/terms/later-page/")


def test_an_exact_search_finds_a_deprecated_term(client, deprecated):
    assert 'href="/terms/adapter-tuning/"' in text(client, "/search/?q=Adapter+tuning")


def test_an_exact_search_marks_a_deprecated_term(client, deprecated):
    assert "badge--deprecated" in text(client, "/search/?q=adapter+TUNING")


def test_a_search_for_part_of_its_name_leaves_a_deprecated_term_out(client, deprecated):
    assert 'href="/terms/adapter-tuning/"' not in text(client, "/search/?q=adapter")


def test_a_search_of_its_text_leaves_a_deprecated_term_out(client, deprecated):
    assert 'href="/terms/adapter-tuning/"' not in text(client, "/search/?q=frozen")


def test_the_page_of_a_deprecated_term_stays(client, deprecated):
    assert client.get("/terms/adapter-tuning/").status_code == 200


def test_the_page_shows_the_deprecation_banner(client, deprecated):
    date = timezone.localdate(PublishedTerm.objects.get(pk=deprecated.pk).deprecated_at)
    assert f'Deprecated on <time datetime="{date:%Y-%m-%d}">{date.day} {date:%B %Y}</time>:' in text(
        client, "/terms/adapter-tuning/"
    )


def test_the_banner_is_a_note(client, deprecated):
    assert 'class="deprecation-banner" role="note"' in text(client, "/terms/adapter-tuning/")


def test_the_banner_links_the_successor(client, deprecated):
    assert 'use <a href="/terms/low-rank-adaptation/">Low-rank adaptation</a>.' in text(
        client, "/terms/adapter-tuning/"
    )


def test_the_banner_gives_the_reason(client, deprecated):
    assert "Replaced by a cheaper method." in text(client, "/terms/adapter-tuning/")


def test_the_banner_joins_two_successors_with_or(client, old_term, successor, make_term):
    other = make_term("Prefix tuning")
    publish(other, by=None)
    deprecate(old_term, by=None, reason="", replaced_by=[successor, other])
    assert '>Low-rank adaptation</a> or <a href="/terms/prefix-tuning/">Prefix tuning</a>.' in text(
        client, "/terms/adapter-tuning/"
    )


def test_a_banner_without_successors_ends_at_the_date(client, old_term):
    deprecate(old_term, by=None, reason="Nobody says it any more.", replaced_by=[])
    assert "</time>.</strong>" in text(client, "/terms/adapter-tuning/")


def test_an_unpublished_successor_is_not_shown(client, old_term, make_term):
    draft = make_term("Unpublished successor")
    deprecate(old_term, by=None, reason="Superseded.", replaced_by=[draft])
    assert "Unpublished successor" not in text(client, "/terms/adapter-tuning/")


def test_a_successor_published_later_is_shown(client, old_term, make_term):
    draft = make_term("Unpublished successor")
    deprecate(old_term, by=None, reason="Superseded.", replaced_by=[draft])
    publish(draft, by=None)
    assert 'href="/terms/unpublished-successor/"' in text(client, "/terms/adapter-tuning/")


def test_a_renamed_successor_is_shown_by_its_new_name(client, deprecated, successor, edit):
    edit(successor, name="LoRA adaptation")
    publish(successor, by=None)
    assert ">LoRA adaptation</a>" in text(client, "/terms/adapter-tuning/")


def test_an_unpublished_successor_leaves_the_banner(client, deprecated, successor):
    unpublish(successor, by=None)
    assert "low-rank-adaptation" not in text(client, "/terms/adapter-tuning/")


def test_a_deprecated_successor_leaves_the_banner(client, deprecated, successor):
    deprecate(successor, by=None, reason="Also old.", replaced_by=[])
    assert 'href="/terms/low-rank-adaptation/"' not in text(client, "/terms/adapter-tuning/")


def test_republishing_a_deprecated_term_keeps_its_deprecation_date(deprecated, edit):
    first = PublishedTerm.objects.get(pk=deprecated.pk).deprecated_at
    edit(deprecated, short_definition="Training small layers inside a frozen model, as people did.")
    publish(deprecated, by=None)
    assert PublishedTerm.objects.get(pk=deprecated.pk).deprecated_at == first


def test_the_deprecated_term_page_runs_the_term_pages_queries(client, deprecated, django_assert_num_queries):
    # The site's generation, then the term: the banner is a column of its row.
    with django_assert_num_queries(2):
        assert client.get("/terms/adapter-tuning/").status_code == 200


def test_the_neighbours_of_a_page_skip_a_deprecated_term(client, deprecated, make_term):
    before = make_term("Accuracy")
    publish(before, by=None)
    assert 'href="/terms/adapter-tuning/"' not in text(client, "/terms/accuracy/")


# --- Undeprecating --------------------------------------------------------------------------------------------------


@pytest.fixture
def undeprecated(deprecated):
    undeprecate(deprecated, by=None)
    return deprecated


@pytest.mark.parametrize("url", ["/", "/terms/", "/terms/?letter=A", "/tags/old/", "/search/suggest?q=adapter"])
def test_an_undeprecated_term_is_listed_again(client, undeprecated, url):
    assert "/terms/adapter-tuning/" in text(client, url)


def test_an_undeprecated_term_is_linked_again(client, undeprecated):
    assert 'href="/terms/adapter-tuning/"' in text(client, "/terms/parameter-efficiency/")


def test_an_undeprecated_term_has_no_banner(client, undeprecated):
    assert "deprecation-banner" not in text(client, "/terms/adapter-tuning/")


def test_undeprecating_publishes_a_public_note(undeprecated):
    assert undeprecated.revisions.first().public_note == "No longer deprecated."


def test_deprecating_publishes_a_public_note(deprecated):
    assert deprecated.revisions.first().public_note == "Deprecated: Replaced by a cheaper method."


# --- The rules ------------------------------------------------------------------------------------------------------


def test_a_term_with_unpublished_changes_cannot_be_deprecated(old_term, successor, edit):
    edit(old_term, short_definition="A newer one-liner nobody reviewed.")
    with pytest.raises(ValidationError, match="unpublished changes"):
        deprecate(old_term, by=None, reason="Old.", replaced_by=[successor])


def test_a_refused_deprecation_changes_nothing(old_term, successor, edit):
    edit(old_term, short_definition="A newer one-liner nobody reviewed.")
    with pytest.raises(ValidationError):
        deprecate(old_term, by=None, reason="Old.", replaced_by=[successor])
    assert Term.objects.get(pk=old_term.pk).deprecated is False


def test_a_draft_cannot_be_deprecated(draft_term):
    with pytest.raises(ValidationError, match="not on the site"):
        deprecate(draft_term, by=None, reason="Old.", replaced_by=[])


def test_a_term_cannot_replace_itself(old_term):
    with pytest.raises(ValidationError, match="replaced by itself"):
        deprecate(old_term, by=None, reason="Old.", replaced_by=[old_term])


def test_a_deprecation_needs_a_reason_or_a_successor(old_term):
    with pytest.raises(ValidationError, match="Say why"):
        deprecate(old_term, by=None, reason="  ", replaced_by=[])


def test_a_reason_too_long_is_refused(old_term):
    with pytest.raises(ValidationError):
        deprecate(old_term, by=None, reason="x" * 301, replaced_by=[])


def test_a_term_not_deprecated_cannot_be_undeprecated(old_term):
    with pytest.raises(ValidationError, match="not deprecated"):
        undeprecate(old_term, by=None)


# --- History ----------------------------------------------------------------------------------------------------------


def test_the_snapshot_keeps_the_successors_by_id_and_name(deprecated, successor):
    assert snapshot(Draft.load(deprecated))["replaced_by"] == [{"to": successor.pk, "to_name": "Low-rank adaptation"}]


def test_a_snapshot_from_before_deprecation_existed_reads_as_not_deprecated(old_term):
    data = snapshot(Draft.load(old_term))
    for key in ("deprecated", "deprecation_reason", "replaced_by"):
        del data[key]
    assert Draft.from_snapshot(old_term, data).term.deprecated is False


def test_saving_a_published_term_unchanged_after_the_upgrade_keeps_it_published(old_term):
    live = old_term.revisions.first()
    for key in ("deprecated", "deprecation_reason", "replaced_by"):
        live.snapshot.pop(key)
    live.save(update_fields=["snapshot"])
    record_save(old_term, by=None)
    assert Term.objects.get(pk=old_term.pk).status == Term.Status.PUBLISHED


def test_rolling_back_before_the_deprecation_undeprecates(client, deprecated):
    before = deprecated.revisions.filter(action="publish").order_by("created_at", "pk").first()
    rollback(before, by=None)
    assert "deprecation-banner" not in text(client, "/terms/adapter-tuning/")


# --- Machines: API, SKOS, feed --------------------------------------------------------------------------------------


def test_the_api_says_a_term_is_deprecated(client, deprecated):
    assert client.get("/api/terms/adapter-tuning/").json()["deprecated"] is True


def test_the_api_gives_when_a_term_was_deprecated(client, deprecated):
    assert client.get("/api/terms/adapter-tuning/").json()["deprecated_at"] is not None


def test_the_api_names_the_successors(client, deprecated):
    replaced_by = client.get("/api/terms/adapter-tuning/").json()["replaced_by"]
    assert [(item["slug"], item["name"], item["url"]) for item in replaced_by] == [
        ("low-rank-adaptation", "Low-rank adaptation", "http://testserver/terms/low-rank-adaptation/")
    ]


def test_the_api_says_a_current_term_is_not_deprecated(client, deprecated):
    assert client.get("/api/terms/low-rank-adaptation/").json()["deprecated"] is False


def test_the_api_list_marks_a_deprecated_term(client, deprecated):
    items = {item["slug"]: item["deprecated"] for item in client.get("/api/terms/").json()["results"]}
    assert items["adapter-tuning"] is True


def test_the_api_search_leaves_a_deprecated_term_out_unless_exact(client, deprecated):
    found = [item["slug"] for item in client.get("/api/terms/?q=adapter").json()["results"]]
    assert "adapter-tuning" not in found


def skos_graph(client, url, media_type) -> Graph:
    response = client.get(url, HTTP_ACCEPT=media_type)
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format="turtle" if "turtle" in media_type else "json-ld")


@pytest.mark.parametrize("media_type", ["text/turtle", "application/ld+json"])
def test_skos_marks_a_deprecated_concept(client, deprecated, media_type):
    g = skos_graph(client, "/terms/adapter-tuning/", media_type)
    assert (URIRef("http://testserver/terms/adapter-tuning/"), OWL.deprecated, Literal(True)) in g


@pytest.mark.parametrize("media_type", ["text/turtle", "application/ld+json"])
def test_skos_names_the_concept_that_replaces_it(client, deprecated, media_type):
    g = skos_graph(client, "/terms/adapter-tuning/", media_type)
    assert (
        URIRef("http://testserver/terms/adapter-tuning/"),
        DCTERMS.isReplacedBy,
        URIRef("http://testserver/terms/low-rank-adaptation/"),
    ) in g


def test_the_whole_skos_export_marks_a_deprecated_concept(client, deprecated):
    g = skos_graph(client, "/export/skos.ttl", "text/turtle")
    assert (URIRef("http://testserver/terms/adapter-tuning/"), OWL.deprecated, Literal(True)) in g


def test_the_feed_marks_a_deprecated_entry(client, deprecated):
    assert "Adapter tuning (deprecated)" in text(client, "/feed/")


def test_the_feed_gives_a_deprecated_entry_its_category(client, deprecated):
    assert '<category term="deprecated"' in text(client, "/feed/")


def test_the_sitemap_keeps_a_deprecated_page(client, deprecated):
    assert "/terms/adapter-tuning/" in text(client, "/sitemap.xml")


# --- Editors: pages to reword ----------------------------------------------------------------------------------------


def test_pages_to_update_lists_pages_that_mention_the_term(deprecated, citing):
    assert pages_to_update(deprecated) == [(citing.pk, "Parameter efficiency")]


def test_the_change_form_lists_the_pages_to_reword(admin_client, deprecated, citing):
    html = text(admin_client, reverse("admin:terms_term_change", args=[deprecated.pk]))
    assert f'<a href="/admin/terms/term/{citing.pk}/change/">Parameter efficiency</a>' in html


def test_the_change_form_opens_the_deprecation_fields_of_a_deprecated_term(admin_client, deprecated):
    html = text(admin_client, reverse("admin:terms_term_change", args=[deprecated.pk]))
    assert 'class="module collapse' not in html.split("Deprecation")[0][-300:]


# --- The reviewer's screens -----------------------------------------------------------------------------------------


def deprecate_url(term):
    return reverse("admin:terms_term_deprecate", args=[term.pk])


def test_editors_may_not_open_the_deprecate_screen(editor_client, old_term):
    assert editor_client.get(deprecate_url(old_term)).status_code == 403


def test_editors_may_not_deprecate(editor_client, old_term):
    editor_client.post(deprecate_url(old_term), {"reason": "Old."})
    assert Term.objects.get(pk=old_term.pk).deprecated is False


def test_editors_may_not_undeprecate(editor_client, deprecated):
    assert editor_client.post(reverse("admin:terms_term_undeprecate", args=[deprecated.pk])).status_code == 403


def test_the_deprecate_screen_lists_the_pages_to_reword(reviewer_client, old_term, citing):
    assert "Parameter efficiency" in text(reviewer_client, deprecate_url(old_term))


def test_a_reviewer_deprecates_from_the_screen(reviewer_client, old_term, successor):
    response = reviewer_client.post(deprecate_url(old_term), {"reason": "Old.", "replaced_by": [successor.pk]})
    assert response.status_code == 302
    assert PublishedTerm.objects.get(pk=old_term.pk).successors[0]["slug"] == "low-rank-adaptation"


def test_the_screen_shows_the_rule_a_deprecation_breaks(reviewer_client, old_term):
    assert "Say why the term is deprecated" in text_of_post(reviewer_client, deprecate_url(old_term), {"reason": ""})


def text_of_post(client, url, data) -> str:
    response = client.post(url, data)
    assert response.status_code == 200
    return response.content.decode()


def test_the_screen_refuses_a_term_with_unpublished_changes(reviewer_client, old_term, edit):
    edit(old_term, short_definition="Unreviewed.")
    assert "has unpublished changes" in text(reviewer_client, deprecate_url(old_term))


def test_a_reviewer_undeprecates_from_the_screen(reviewer_client, deprecated):
    reviewer_client.post(reverse("admin:terms_term_undeprecate", args=[deprecated.pk]))
    assert PublishedTerm.objects.get(pk=deprecated.pk).deprecated_at is None


def test_the_change_form_offers_reviewers_to_deprecate(reviewer_client, old_term):
    assert deprecate_url(old_term) in text(reviewer_client, reverse("admin:terms_term_change", args=[old_term.pk]))


def test_the_change_form_offers_editors_no_deprecation(editor_client, old_term):
    assert deprecate_url(old_term) not in text(editor_client, reverse("admin:terms_term_change", args=[old_term.pk]))


# --- Editors set the fields in the form ----------------------------------------------------------------------------


def test_the_form_refuses_a_deprecation_without_reason_or_successor(admin_client, old_term, change_form):
    data = change_form(old_term, name="Adapter tuning", slug="adapter-tuning", deprecated="on")
    response = admin_client.post(reverse("admin:terms_term_change", args=[old_term.pk]), data)
    assert "Say why the term is deprecated" in response.content.decode()


def test_the_form_refuses_a_term_replacing_itself(admin_client, old_term, change_form):
    data = change_form(
        old_term, name="Adapter tuning", slug="adapter-tuning", deprecated="on", replaced_by=[str(old_term.pk)]
    )
    response = admin_client.post(reverse("admin:terms_term_change", args=[old_term.pk]), data)
    assert "cannot be replaced by itself" in response.content.decode()


def test_the_form_refuses_a_reason_for_a_term_not_deprecated(admin_client, old_term, change_form):
    data = change_form(old_term, name="Adapter tuning", slug="adapter-tuning", deprecation_reason="Old.")
    response = admin_client.post(reverse("admin:terms_term_change", args=[old_term.pk]), data)
    assert "Only a deprecated term has a reason" in response.content.decode()


def test_an_editor_saves_a_deprecation_for_review_without_changing_the_site(
    editor_client, old_term, successor, change_form, client
):
    data = change_form(
        old_term,
        name="Adapter tuning",
        slug="adapter-tuning",
        deprecated="on",
        replaced_by=[str(successor.pk)],
        _submit="1",
    )
    editor_client.post(reverse("admin:terms_term_change", args=[old_term.pk]), data)
    editor_client.logout()
    assert PublishedTerm.objects.get(pk=old_term.pk).deprecated_at is None


def test_the_review_shows_the_deprecation_as_a_change(reviewer_client, old_term, successor, edit):
    old_term.replaced_by.set([successor])
    edit(old_term, deprecated=True, deprecation_reason="Old.")
    html = text(reviewer_client, reverse("admin:terms_term_review", args=[old_term.pk]))
    assert "Replaced by" in html


def test_json_round_trip_keeps_the_deprecation(deprecated):
    from terms.exporting import export
    from terms.importing.applying import import_file

    data = export("json")
    outcome = import_file(data, "glossary.json", by=None, dry_run=True)
    assert outcome.plan.count("unchanged") == len(outcome.plan.rows)


def test_the_json_export_names_the_successors(deprecated):
    from terms.exporting import export

    records = {record["slug"]: record for record in json.loads(export("json"))["terms"]}
    assert records["adapter-tuning"]["replaced_by"] == ["Low-rank adaptation"]


def test_the_csv_export_says_deprecated(deprecated):
    from terms.exporting import export

    assert ",yes,Replaced by a cheaper method.,Low-rank adaptation," in export("csv").decode("utf-8-sig")


def test_an_import_refuses_an_unknown_successor(old_term):
    from terms.importing.applying import import_file

    document = {
        "format": "glossary",
        "version": 1,
        "terms": [{"name": "Adapter tuning", "short_definition": "Old.", "deprecated": True, "replaced_by": ["Nope"]}],
    }
    outcome = import_file(json.dumps(document).encode(), "x.json", by=None, dry_run=True)
    assert "replaced_by: no term is called “Nope”" in outcome.plan.rows[0].reason


def test_an_import_refuses_a_deprecated_flag_that_is_not_a_boolean(old_term):
    from terms.importing.applying import import_file

    document = {"format": "glossary", "version": 1, "terms": [{"name": "Adapter tuning", "deprecated": "yes"}]}
    outcome = import_file(json.dumps(document).encode(), "x.json", by=None, dry_run=True)
    assert "deprecated: must be true or false." in outcome.plan.rows[0].reason


def test_an_import_sets_the_successors(old_term, successor):
    from terms.importing.applying import import_file

    document = {
        "format": "glossary",
        "version": 1,
        "terms": [{"name": "Adapter tuning", "deprecated": True, "replaced_by": ["low-rank ADAPTATION"]}],
    }
    import_file(json.dumps(document).encode(), "x.json", by=None)
    assert list(Term.objects.get(pk=old_term.pk).replaced_by.all()) == [successor]


def test_the_deprecation_date_is_recent(deprecated):
    deprecated_at = PublishedTerm.objects.get(pk=deprecated.pk).deprecated_at
    assert timezone.now() - deprecated_at < timedelta(minutes=5)


@pytest.fixture
def reader_page(make_term, relate, old_term):
    """A published page related to a hub that is related to the term: the term is among its "People also read"."""
    hub = make_term("Hub")
    relate(hub, old_term)
    publish(hub, by=None)
    reader = make_term("Reader")
    relate(reader, hub)
    publish(reader, by=None)
    return reader


def also_read_slugs(term) -> list[str]:
    return [other["slug"] for other in PublishedTerm.objects.get(pk=term.pk).also_read]


def test_people_also_read_shows_a_current_term(reader_page):
    assert "adapter-tuning" in also_read_slugs(reader_page)


def test_people_also_read_lets_a_term_go_when_it_is_deprecated(reader_page, old_term, successor):
    deprecate(old_term, by=None, reason="Old.", replaced_by=[successor])
    assert "adapter-tuning" not in also_read_slugs(reader_page)


def test_people_also_read_picks_an_undeprecated_term_again(reader_page, old_term, successor):
    deprecate(old_term, by=None, reason="Old.", replaced_by=[successor])
    undeprecate(old_term, by=None)
    assert "adapter-tuning" in also_read_slugs(reader_page)
