"""/terms/tree/: the published hierarchy as a nested, collapsible tree (terms/tree.py)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils import timezone

from terms import views
from terms.bulk_publishing import publish_new_in_bulk
from terms.models import PublishedRelation, PublishedTerm, Relation
from terms.publishing import Draft, publish, unpublish

BROADER, NARROWER = Relation.Kind.BROADER, Relation.Kind.NARROWER


def tree_page(client) -> str:
    response = client.get("/terms/tree/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The HTML of the page's section headed by `heading_id`."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def times_listed(html: str, slug: str) -> int:
    return html.count(f'href="/terms/{slug}/"')


@pytest.fixture
def glossary(make_term, relate):
    """A crafted hierarchy: two broader terms for one, a deep chain, a term in none, a draft in the middle.

    Artificial intelligence › Machine learning › Deep learning › Level 1 › … › Level 6
    Statistics › Machine learning (so Machine learning and everything below it is there twice)
    Artificial intelligence › Computer vision (a draft) › Image classification
    Prompt (no broader or narrower term)
    """
    names = ["Artificial intelligence", "Statistics", "Machine learning", "Deep learning", "Image classification"]
    terms = {name: make_term(name) for name in names}
    terms["Prompt"] = make_term("Prompt")
    vision = make_term("Computer vision")
    relate(terms["Machine learning"], terms["Artificial intelligence"], BROADER)
    relate(terms["Statistics"], terms["Machine learning"], NARROWER)
    relate(terms["Deep learning"], terms["Machine learning"], BROADER)
    relate(vision, terms["Artificial intelligence"], BROADER)
    relate(terms["Image classification"], vision, BROADER)
    upper = terms["Deep learning"]
    for level in range(1, 7):
        terms[f"Level {level}"] = lower = make_term(f"Level {level}")
        relate(lower, upper, BROADER)
        upper = lower
    for term in terms.values():
        publish(term, by=None)
    return terms


def test_the_tree_has_its_own_address(db):
    assert reverse("terms:tree") == "/terms/tree/"


def test_the_tree_is_not_taken_for_a_terms_page(db):
    assert resolve("/terms/tree/").func is views.term_tree


def test_a_term_cannot_take_the_trees_address(make_term):
    with pytest.raises(ValidationError) as error:
        make_term("Tree").full_clean()
    assert "slug" in error.value.message_dict


@pytest.mark.parametrize(
    ("slug", "times"),
    [
        ("artificial-intelligence", 1),
        ("statistics", 1),
        ("machine-learning", 2),
        ("deep-learning", 2),
        ("level-6", 2),
    ],
)
def test_every_term_in_the_hierarchy_appears_once_per_path_from_the_top(client, glossary, slug, times):
    assert times_listed(section(tree_page(client), "tree-heading"), slug) == times


@pytest.mark.parametrize("slug", ["prompt", "image-classification"])
def test_a_term_in_no_published_hierarchy_is_listed_once_on_its_own(client, glossary, slug):
    html = tree_page(client)
    assert (times_listed(html, slug), times_listed(section(html, "others-heading"), slug)) == (1, 1)


def test_every_published_term_appears(client, glossary):
    html = tree_page(client)
    assert all(times_listed(html, term.slug) for term in PublishedTerm.objects.all())


def test_a_draft_does_not_appear(client, glossary):
    assert times_listed(tree_page(client), "computer-vision") == 0


def test_a_deep_chain_is_nested_one_list_in_another(client, glossary):
    html = section(tree_page(client), "tree-heading")
    level_6 = html.index('href="/terms/level-6/"')
    # The tree's list, and the lists under Artificial intelligence, Machine learning, Deep learning and Levels 1 to 5.
    assert html[:level_6].count("<ul") - html[:level_6].count("</ul>") == 9


def test_each_branch_is_a_details_element_that_works_without_javascript(client, glossary):
    html = section(tree_page(client), "tree-heading")
    assert len(re.findall(r"<details[^>]*>\s*<summary>", html)) == html.count("</details>") > 0


def test_a_branch_says_how_many_narrower_terms_it_has(client, glossary):
    # Computer vision, a draft, is not counted.
    summary = '<summary>1 narrower term<span class="visually-hidden"> of Artificial intelligence</span></summary>'
    assert summary in tree_page(client)


def test_a_branch_names_its_term_to_screen_readers(client, glossary):
    assert '<span class="visually-hidden"> of Deep learning</span>' in tree_page(client)


def test_the_first_level_starts_open(client, glossary):
    html = section(tree_page(client), "tree-heading")
    ai = html.index('href="/terms/artificial-intelligence/"')
    assert html[ai:].startswith(
        'href="/terms/artificial-intelligence/">Artificial intelligence</a> <details class="tree__branch" open>'
    )


def test_deeper_levels_start_closed(client, glossary):
    html = section(tree_page(client), "tree-heading")
    ml = html.index('href="/terms/machine-learning/"')
    assert html[ml:].startswith('href="/terms/machine-learning/">Machine learning</a> <details class="tree__branch">')


def test_narrower_terms_are_listed_by_title(client, make_term, relate):
    top, zeta, alpha = make_term("Top"), make_term("Zeta"), make_term("Alpha")
    relate(top, zeta, NARROWER)
    relate(top, alpha, NARROWER, position=2)
    for term in (zeta, alpha, top):
        publish(term, by=None)
    html = tree_page(client)
    assert html.index("/terms/alpha/") < html.index("/terms/zeta/")


def test_a_term_is_shown_by_its_title(client, make_term, relate):
    lower, upper = make_term("Selective attention"), make_term("Attention", qualifier="psychology")
    relate(lower, upper, BROADER)
    publish(upper, by=None)
    publish(lower, by=None)
    assert ">Attention (psychology)</a>" in tree_page(client)


def test_a_deprecated_term_is_shown_marked(client, glossary):
    PublishedTerm.objects.filter(slug="statistics").update(deprecated_at=timezone.now())
    assert 'Statistics</a> <span class="tree__deprecated">(deprecated)</span>' in tree_page(client)


def test_unpublishing_a_term_takes_it_off_the_tree(client, glossary):
    unpublish(glossary["Statistics"], by=None)
    assert times_listed(tree_page(client), "statistics") == 0


def test_unpublishing_a_broader_term_leaves_the_terms_below_it_once(client, glossary):
    unpublish(glossary["Statistics"], by=None)
    assert times_listed(tree_page(client), "deep-learning") == 1


def test_names_are_escaped(client, make_term, relate):
    lower, upper = make_term("Lower"), make_term("Angle <i>brackets</i>", slug="angle")
    relate(lower, upper, BROADER)
    publish(upper, by=None)
    publish(lower, by=None)
    assert "Angle &lt;i&gt;brackets&lt;/i&gt;" in tree_page(client)


def test_a_loop_of_broader_terms_is_drawn_once_round(client, make_term):
    # Publishing refuses loops: made by hand, as a bad import or a bug might.
    one, two = make_term("One"), make_term("Two")
    publish(one, by=None)
    publish(two, by=None)
    PublishedRelation.objects.create(source_id=one.pk, target_id=two.pk, kind=BROADER)
    PublishedRelation.objects.create(source_id=two.pk, target_id=one.pk, kind=BROADER)
    html = tree_page(client)
    assert (times_listed(html, "one"), times_listed(html, "two")) == (1, 1)


def test_an_empty_glossary_says_so(client, db):
    assert "No terms have been published yet." in tree_page(client)


@pytest.mark.parametrize("size", [10, 100])
def test_the_tree_runs_a_constant_number_of_queries(client, make_term, relate, django_assert_num_queries, size):
    terms = [make_term(f"Term {number}") for number in range(size)]
    for number, term in enumerate(terms[1:], start=1):
        relate(term, terms[(number - 1) // 3], BROADER)
    publish_new_in_bulk([Draft.load(term) for term in terms], by=None)
    # The site's generation, the published terms, their broader and narrower relations.
    with django_assert_num_queries(3):
        assert client.get("/terms/tree/").status_code == 200


def test_the_tree_is_served_from_the_page_cache_the_second_time(client, glossary, django_assert_max_num_queries):
    tree_page(client)
    with django_assert_max_num_queries(1):
        assert client.get("/terms/tree/").status_code == 200


@pytest.mark.parametrize("url", ["/", "/terms/"])
def test_the_home_page_and_the_index_link_to_the_tree(client, published_term, url):
    response = client.get(url)
    assert response.status_code == 200
    assert '<a href="/terms/tree/">Browse by hierarchy</a>' in response.content.decode()
