"""A term's path from the top of the hierarchy (terms/paths.py), stored when terms are published, shown on its page."""

import pytest
from django.urls import reverse

from terms.bulk_publishing import DERIVED, complete_deferred, publish_new_in_bulk, rebuild_derived
from terms.models import PublishedRelation, PublishedTerm, Relation
from terms.paths import Hierarchy, refresh_all_paths, refresh_paths
from terms.publishing import Draft, publish, unpublish

BROADER, NARROWER = Relation.Kind.BROADER, Relation.Kind.NARROWER


def path_of(term) -> list[str]:
    """The names on the term's stored path, top first."""
    return [upper["name"] for upper in PublishedTerm.objects.get(pk=term.pk).path]


@pytest.fixture
def chain(make_term, relate):
    """Artificial intelligence › Machine learning › Deep learning, all published."""
    ai, ml, dl = make_term("Artificial intelligence"), make_term("Machine learning"), make_term("Deep learning")
    relate(ml, ai, BROADER)
    relate(dl, ml, BROADER)
    for term in (ai, ml, dl):
        publish(term, by=None)
    return ai, ml, dl


def hierarchy_nav(html: str) -> str:
    start = html.index('<nav class="term-path" aria-label="Hierarchy">')
    return html[start : html.index("</nav>", start)]


def test_a_term_stores_its_path_from_the_top(chain):
    assert path_of(chain[2]) == ["Artificial intelligence", "Machine learning"]


def test_a_path_holds_each_broader_terms_address(chain):
    assert [upper["slug"] for upper in PublishedTerm.objects.get(pk=chain[2].pk).path] == [
        "artificial-intelligence",
        "machine-learning",
    ]


def test_a_term_at_the_top_has_no_path(chain):
    assert path_of(chain[0]) == []


def test_the_term_page_shows_the_path_with_links_to_each_broader_term(client, chain):
    response = client.get("/terms/deep-learning/")
    assert response.status_code == 200
    nav = hierarchy_nav(response.content.decode())
    assert '<a href="/terms/artificial-intelligence/">Artificial intelligence</a>' in nav
    assert '<a href="/terms/machine-learning/">Machine learning</a>' in nav


def test_the_path_ends_with_the_term_itself_not_linked(client, chain):
    response = client.get("/terms/deep-learning/")
    assert response.status_code == 200
    assert hierarchy_nav(response.content.decode()).endswith('<li aria-current="page">Deep learning</li></ol>')


def test_a_term_at_the_top_shows_no_path(client, chain):
    response = client.get("/terms/artificial-intelligence/")
    assert response.status_code == 200
    assert 'aria-label="Hierarchy"' not in response.content.decode()


def test_a_path_follows_a_relation_stated_from_the_broader_term(make_term, relate):
    ai, ml = make_term("Artificial intelligence"), make_term("Machine learning")
    relate(ai, ml, NARROWER)
    publish(ml, by=None)
    publish(ai, by=None)
    assert path_of(ml) == ["Artificial intelligence"]


def test_a_path_goes_through_the_broader_term_in_the_first_position(make_term, relate):
    term, second, first = make_term("Deep learning"), make_term("Alpha"), make_term("Zeta")
    relate(term, second, BROADER, position=2)
    relate(term, first, BROADER, position=1)
    for each in (second, first, term):
        publish(each, by=None)
    assert path_of(term) == ["Zeta"]


def test_a_path_goes_through_the_broader_term_first_by_title_when_positions_tie(make_term, relate):
    term, later, earlier = make_term("Deep learning"), make_term("Zeta"), make_term("Alpha")
    relate(term, later, BROADER)
    relate(term, earlier, BROADER)
    for each in (later, earlier, term):
        publish(each, by=None)
    assert path_of(term) == ["Alpha"]


def test_a_path_names_a_broader_homonym_by_its_title(make_term, relate):
    term, upper = make_term("Selective attention"), make_term("Attention", qualifier="psychology")
    relate(term, upper, BROADER)
    publish(upper, by=None)
    publish(term, by=None)
    assert path_of(term) == ["Attention (psychology)"]


def test_renaming_a_broader_term_changes_the_path_below_it(chain):
    ai = chain[0]
    ai.name = "AI"
    ai.save()
    publish(ai, by=None)
    assert path_of(chain[2]) == ["AI", "Machine learning"]


def test_unpublishing_a_broader_term_takes_it_off_the_path_below_it(chain):
    unpublish(chain[1], by=None)
    assert path_of(chain[2]) == []


def test_publishing_a_broader_term_again_puts_it_back_on_the_path(chain):
    unpublish(chain[1], by=None)
    publish(chain[1], by=None)
    assert path_of(chain[2]) == ["Artificial intelligence", "Machine learning"]


def test_moving_another_broader_term_first_changes_the_path(make_term, relate):
    term, zeta, alpha = make_term("Deep learning"), make_term("Zeta"), make_term("Alpha")
    relate(term, zeta, BROADER, position=1)
    relate(term, alpha, BROADER, position=2)
    for each in (zeta, alpha, term):
        publish(each, by=None)
    Relation.objects.filter(from_term=term, to_term=alpha).update(position=0)
    publish(term, by=None)
    assert path_of(term) == ["Alpha"]


def test_a_term_published_under_a_published_one_gets_its_path(chain, make_term, relate):
    cnn = make_term("Convolutional network")
    relate(cnn, chain[2], BROADER)
    publish(cnn, by=None)
    assert path_of(cnn) == ["Artificial intelligence", "Machine learning", "Deep learning"]


def test_removing_a_broader_relation_changes_the_path_below_it(chain):
    Relation.objects.filter(from_term=chain[1]).delete()
    publish(chain[1], by=None)
    assert path_of(chain[2]) == ["Machine learning"]


def test_removing_a_narrower_relation_takes_the_broader_term_off_the_path(make_term, relate):
    ai, ml = make_term("Artificial intelligence"), make_term("Machine learning")
    relate(ai, ml, NARROWER)
    publish(ml, by=None)
    publish(ai, by=None)
    Relation.objects.filter(from_term=ai).delete()
    publish(ai, by=None)
    assert path_of(ml) == []


def test_a_path_skips_a_broader_term_that_is_not_published(make_term, relate):
    term, draft = make_term("Deep learning"), make_term("Machine learning")
    relate(term, draft, BROADER)
    publish(term, by=None)
    assert path_of(term) == []


def test_a_loop_of_broader_terms_ends_the_path_instead_of_running_forever(chain):
    # Publishing refuses loops: made by hand, as a bad import or a bug might.
    ai, _, dl = chain
    PublishedRelation.objects.create(source_id=ai.pk, target_id=dl.pk, kind=BROADER)
    refresh_paths([ai.pk])
    assert path_of(dl) == ["Machine learning"]


def test_every_path_is_written_again_by_the_rebuild(chain):
    PublishedTerm.objects.update(path=[])
    rebuild_derived()
    assert path_of(chain[2]) == ["Artificial intelligence", "Machine learning"]


def test_the_rebuild_writes_paths_after_the_cross_links(db):
    parts = [part for part, _ in DERIVED]
    assert parts.index("paths") > parts.index("cross-links")


def test_publishing_in_bulk_stores_paths(make_term, relate):
    ai, ml = make_term("Artificial intelligence"), make_term("Machine learning")
    relate(ml, ai, BROADER)
    publish_new_in_bulk([Draft.load(ai), Draft.load(ml)], by=None)
    assert path_of(ml) == ["Artificial intelligence"]


def test_completing_a_deferred_bulk_publish_stores_paths(make_term, relate):
    ai, ml = make_term("Artificial intelligence"), make_term("Machine learning")
    relate(ml, ai, BROADER)
    publish_new_in_bulk([Draft.load(ai), Draft.load(ml)], by=None, deferred=True)
    complete_deferred()
    assert path_of(ml) == ["Artificial intelligence"]


@pytest.mark.parametrize("size", [2, 12])
def test_refreshing_paths_runs_a_constant_number_of_queries(make_term, relate, django_assert_num_queries, size):
    top = make_term("Top")
    publish(top, by=None)
    for number in range(size):
        lower = make_term(f"Lower {number}")
        relate(lower, top, BROADER)
        publish(lower, by=None)
    # The published terms, the hierarchy's relations, then one write for every path.
    with django_assert_num_queries(3):
        refresh_all_paths()


def test_below_finds_terms_any_number_of_steps_down(chain):
    assert Hierarchy.load().below([chain[0].pk]) == {term.pk for term in chain}


@pytest.mark.parametrize("size", [2, 12])
def test_the_term_page_reads_its_path_without_a_query_of_its_own(
    client, make_term, relate, django_assert_num_queries, size
):
    terms = [make_term(f"Level {number}") for number in range(size)]
    for upper, lower in zip(terms, terms[1:], strict=False):
        relate(lower, upper, BROADER)
    for term in terms:
        publish(term, by=None)
    # The site's generation, then the term with everything its page shows.
    with django_assert_num_queries(2):
        assert client.get(f"/terms/level-{size - 1}/").status_code == 200


def test_the_admins_preview_shows_the_live_pages_path(editor_client, chain):
    response = editor_client.get(reverse("admin:terms_term_preview", args=[chain[2].pk]))
    assert response.status_code == 200
    assert '<a href="/terms/machine-learning/">Machine learning</a>' in hierarchy_nav(response.content.decode())
