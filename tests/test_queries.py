"""The hand-written readers of terms.queries give what the equivalent ORM query gives, on this test run's database."""

import pytest
from django.db.models import Q

from terms import queries
from terms.addresses import term_url
from terms.bulk_publishing import publish_new_in_bulk
from terms.deprecation import deprecate
from terms.models import Example, Misconception
from terms.models.published import EPOCH, PublishedTerm, PublishedTermTag, SiteState
from terms.models.published import LISTED as NOT_DEPRECATED
from terms.publishing import publish, unpublish
from terms.workflow import Draft

LISTED = ("slug", "title", "short_definition", "letter")

# Published in one batch (so they share a publishing time), then three more one by one.
BULK = [
    ("Attention", "attention", ["Training", "Обучение"]),
    ("Ångström scale", "angstrom-scale", ["Обучение"]),
    ("Backpropagation", "backpropagation", ["Training"]),
    ("Épsilon greedy", "epsilon-greedy", ["Training", "Обучение"]),
    ("Embedding", "embedding", ["Training"]),
    ("3D convolution", "3d-convolution", ["Vision"]),
    ("8-bit quantisation", "8-bit-quantisation", ["Training"]),
    ("Нейросеть", "neuroset", ["Обучение"]),
    ("Σ-notation", "sigma-notation", []),
    ("Colour", "colour", ["Training"]),
    ("Color", "color", ["Training"]),
    ("Zero-shot learning", "zero-shot-learning", ["Training"]),
]
ONE_BY_ONE = [
    ("Momentum", "momentum", ["Training"]),
    ("Dropout", "dropout", ["Training", "Обучение"]),
    ("Óptimo", "optimo", []),
]
SLUGS = [slug for _, slug, _ in BULK + ONE_BY_ONE]
# Deprecated: its page stays, lists leave it out.
DEPRECATED = "embedding"
TAG_SLUGS = ["training", "обучение", "vision"]


@pytest.fixture
def glossary(make_term, relate, editor):
    """Published terms whose order, letters and tags differ between scripts, with one tie on the sort name."""
    terms = {slug: make_term(name, slug=slug, tags=tags) for name, slug, tags in BULK}
    publish_new_in_bulk([Draft.load(term) for term in terms.values()], by=None)
    for name, slug, tags in ONE_BY_ONE:
        terms[slug] = make_term(
            name, slug=slug, tags=tags, aliases=f"{name} method\n{name} rule", pronunciation="/ˈtɜːm/"
        )
        Example.objects.create(term=terms[slug], title="A noisy loss", body="It *rolls* on.")
        Misconception.objects.create(term=terms[slug], claim="It is always faster.", correction="Not **always**.")
        relate(terms[slug], terms["backpropagation"])
        publish(terms[slug], by=editor)
    # Names are unique by identity key, so editing cannot give two terms one sort name; twins published
    # before migration 0012 made names unique ("LLM" and "llm") can: "Colour" is given "Color"'s here.
    PublishedTerm.objects.filter(slug="colour").update(sort_name="color")
    PublishedTermTag.objects.filter(term_slug="colour").update(sort_name="color")
    deprecate(terms[DEPRECATED], by=None, reason="An older name.", replaced_by=[])
    return terms


def listed(queryset):
    return [queries.ListedTerm._make(row) for row in queryset.values_list(*LISTED)]


def index_queryset(letter=""):
    terms = PublishedTerm.objects.filter(NOT_DEPRECATED).order_by("sort_name", "slug")
    return terms.filter(letter=letter) if letter else terms


# Pages of a list of 15 (the tie on "color" falls across the first two): first, middle and last,
# one across the end, one beyond it. The ORM reads each with the same LIMIT and OFFSET.
SLICES = [slice(0, 5), slice(5, 10), slice(10, 15), slice(12, 20), slice(15, 20), slice(40, 50)]


@pytest.mark.parametrize("page", SLICES, ids=str)
def test_index_page_rows_match_the_orm(glossary, page):
    assert queries.for_index()[page] == listed(index_queryset()[page])


@pytest.mark.parametrize("page", SLICES, ids=str)
def test_index_page_rows_match_the_orm_when_the_count_comes_from_the_site_state(glossary, page):
    count = queries.site_state(with_counts=True).counts.term_count

    assert queries.for_index(count=count)[page] == listed(index_queryset()[page])


@pytest.mark.parametrize("letter", ["A", "B", "C", "E", "#", "Q"])
def test_letter_page_rows_match_the_orm(glossary, letter):
    assert queries.for_index(letter)[0:20] == listed(index_queryset(letter)[0:20])


@pytest.mark.parametrize("letter", ["", "A", "C", "#", "Q"])
def test_index_count_matches_the_orm(glossary, letter):
    assert queries.for_index(letter).count() == index_queryset(letter).count()


@pytest.mark.parametrize("letter", ["", "A", "#", "Q"])
def test_index_length_is_its_count(glossary, letter):
    assert len(queries.for_index(letter)) == index_queryset(letter).count()


def test_term_rows_slice_from_the_end_as_a_list_does(glossary):
    rows = queries.for_index()

    assert rows[-3:] == rows[len(rows) - 3 :]


@pytest.mark.parametrize("index", [0, -1], ids=["index", "negative index"])
def test_term_rows_refuse_an_index(glossary, index):
    with pytest.raises(TypeError):
        queries.for_index()[index]


@pytest.mark.parametrize("step", [2, -1])
def test_term_rows_refuse_a_slice_with_a_step(glossary, step):
    with pytest.raises(TypeError):
        queries.for_index()[0:10:step]


def test_term_rows_allow_a_step_of_one(glossary):
    assert queries.for_index()[0:4:1] == listed(index_queryset()[0:4])


@pytest.mark.parametrize("limit", [1, 3, 9, 40])
def test_recent_terms_match_the_orm(glossary, limit):
    recent = PublishedTerm.objects.filter(NOT_DEPRECATED).order_by("-published_at", "sort_name", "slug")[:limit]

    assert queries.recent(limit) == listed(recent)


def test_the_index_leaves_out_a_deprecated_term(glossary):
    assert DEPRECATED not in [term.slug for term in queries.for_index()[0:50]]


def test_recent_terms_leave_out_a_deprecated_term(glossary):
    assert DEPRECATED not in [term.slug for term in queries.recent(40)]


def test_a_deprecated_term_has_its_page(glossary):
    assert queries.for_term_page(DEPRECATED).deprecated_at is not None


def tag_queryset(tag_slug):
    return PublishedTerm.objects.filter(tag_rows__slug=tag_slug).order_by("sort_name", "slug")


@pytest.mark.parametrize("tag_slug", TAG_SLUGS)
@pytest.mark.parametrize("page", SLICES, ids=str)
def test_tag_page_rows_match_the_orm(glossary, tag_slug, page):
    count = queries.site_state(with_counts=True).counts.tag(tag_slug)["count"]

    assert queries.for_tag_page(tag_slug, count)[page] == listed(tag_queryset(tag_slug)[page])


@pytest.mark.parametrize("tag_slug", TAG_SLUGS)
def test_tag_page_count_from_the_site_state_matches_the_orm(glossary, tag_slug):
    count = queries.site_state(with_counts=True).counts.tag(tag_slug)["count"]

    assert len(queries.for_tag_page(tag_slug, count)) == tag_queryset(tag_slug).count()


def test_tag_page_of_a_tag_no_published_term_has_is_empty(glossary):
    assert queries.for_tag_page("hidden", 0)[0:10] == []


def test_tag_page_rows_follow_an_unpublished_term(glossary):
    unpublish(glossary["dropout"], by=None)

    assert queries.for_tag_page("training", 20)[0:20] == listed(tag_queryset("training")[0:20])


def test_tag_page_rows_follow_a_republished_term(glossary):
    term = glossary["momentum"]
    term.short_definition = "Keeps moving in the direction it was going."
    term.save()
    publish(term, by=None)

    assert queries.for_tag_page("training", 20)[0:20] == listed(tag_queryset("training")[0:20])


ON_THE_PAGE = [field for field in PublishedTerm._meta.concrete_fields if field.name not in queries.NOT_ON_THE_PAGE]


@pytest.mark.parametrize("field", ON_THE_PAGE, ids=lambda field: field.name)
@pytest.mark.parametrize("slug", ["momentum", "neuroset", "attention"])
def test_term_page_field_has_the_orm_value_and_type(glossary, slug, field):
    page, term = queries.for_term_page(slug), PublishedTerm.objects.get(slug=slug)
    value, expected = getattr(page, field.attname), getattr(term, field.attname)

    assert (type(value), value) == (type(expected), expected)


@pytest.mark.parametrize("attname", ["first_published_at", "published_at"])
def test_term_page_dates_are_aware(glossary, attname):
    assert getattr(queries.for_term_page("momentum"), attname).utcoffset() is not None


def test_term_page_of_an_unknown_slug_is_none(glossary):
    assert queries.for_term_page("no-such-term") is None


def test_term_page_of_an_unpublished_term_is_none(glossary):
    unpublish(glossary["dropout"], by=None)

    assert queries.for_term_page("dropout") is None


def test_term_page_is_a_saved_instance(glossary):
    assert queries.for_term_page("momentum")._state.adding is False


def orm_neighbours(slug: str) -> tuple[dict | None, dict | None]:
    """The listed terms before and after `slug` A–Z by the ORM, ties on the sort name broken by the slug."""
    shown = PublishedTerm.objects.filter(NOT_DEPRECATED | Q(slug=slug))
    order = list(shown.order_by("sort_name", "slug").values_list("slug", "title"))
    position = [row[0] for row in order].index(slug)
    links = [{"slug": slug, "name": name, "url": term_url(slug)} for slug, name in order]
    return (links[position - 1] if position else None), (links[position + 1] if position + 1 < len(links) else None)


@pytest.mark.parametrize("slug", SLUGS)
def test_term_page_previous_term_is_the_orm_one(glossary, slug):
    assert queries.for_term_page(slug).previous_term == orm_neighbours(slug)[0]


@pytest.mark.parametrize("slug", SLUGS)
def test_term_page_next_term_is_the_orm_one(glossary, slug):
    assert queries.for_term_page(slug).next_term == orm_neighbours(slug)[1]


def test_terms_with_one_sort_name_are_neighbours_in_slug_order(glossary):
    assert queries.for_term_page("color").next_term["slug"] == "colour"


def test_the_only_term_has_no_neighbours(make_term):
    publish(make_term("Attention"), by=None)
    page = queries.for_term_page("attention")

    assert (page.previous_term, page.next_term) == (None, None)


PAGED_READERS = {
    "index": (queries.for_index, PublishedTerm.objects.filter(NOT_DEPRECATED)),
    "tag page": (
        lambda: queries.for_tag_page("training", PublishedTermTag.objects.filter(slug="training").count()),
        PublishedTerm.objects.filter(tag_rows__slug="training"),
    ),
}


# Lists break ties on the sort name by the slug, as the neighbour links do: otherwise SQLite lists tied terms
# in id order, and PostgreSQL, depending on where the rows lie, may show one on two pages and the other on none.
@pytest.mark.parametrize("reader", PAGED_READERS)
def test_pages_of_a_list_read_terms_with_one_sort_name_once_in_the_neighbours_order(glossary, reader):
    read, terms = PAGED_READERS[reader]
    rows = read()

    assert [term for start in range(0, len(rows), 5) for term in rows[start : start + 5]] == listed(
        terms.order_by("sort_name", "slug")
    )


STATE_FIELDS = ["pk", "generation", "changed_at", "generation_key"]


@pytest.mark.parametrize("with_counts", [False, True])
@pytest.mark.parametrize("name", STATE_FIELDS)
def test_site_state_matches_the_orm(glossary, name, with_counts):
    value, expected = getattr(queries.site_state(with_counts=with_counts), name), getattr(SiteState.objects.get(), name)

    assert (type(value), value) == (type(expected), expected)


def test_site_state_counts_match_the_orm(glossary):
    assert queries.site_state(with_counts=True).counts == SiteState.objects.get().counts


def test_site_counts_match_the_orm(glossary):
    assert queries.site_counts() == SiteState.objects.get().counts


def test_site_counts_of_an_emptied_glossary_match_the_orm(emptied_glossary):
    assert queries.site_counts() == SiteState.objects.get().counts


def test_site_counts_without_the_row_are_empty(db):
    SiteState.objects.all().delete()
    assert queries.site_counts() == SiteState(pk=1).counts


def test_site_state_without_counts_reads_them_with_the_orm(glossary):
    assert queries.site_state().counts == SiteState.objects.get().counts


@pytest.fixture
def emptied_glossary(make_term):
    """A glossary whose only term was published, then unpublished."""
    term = make_term("Attention", tags=["Training"])
    publish(term, by=None)
    unpublish(term, by=None)


@pytest.mark.parametrize("name", STATE_FIELDS)
def test_site_state_of_an_emptied_glossary_matches_the_orm(emptied_glossary, name):
    value, expected = getattr(queries.site_state(with_counts=True), name), getattr(SiteState.objects.get(), name)

    assert (type(value), value) == (type(expected), expected)


def test_site_state_counts_of_an_emptied_glossary_match_the_orm(emptied_glossary):
    assert queries.site_state(with_counts=True).counts == SiteState.objects.get().counts


def test_site_state_without_its_row_is_generation_0_at_the_epoch(db):
    # A database has no row until its first publish (or seed).
    SiteState.objects.all().delete()
    state = queries.site_state(with_counts=True)

    assert (state.generation, state.changed_at) == (0, EPOCH)


def test_site_state_without_its_row_counts_nothing_as_the_orm_does(db):
    SiteState.objects.all().delete()

    assert queries.site_state(with_counts=True).counts == SiteState(pk=1).counts


EMPTY_READERS = {
    "index count": lambda: queries.for_index().count(),
    "index page": lambda: queries.for_index()[0:20],
    "letter page": lambda: queries.for_index("A")[0:20],
    "recent": lambda: queries.recent(),
    "tag page": lambda: queries.for_tag_page("training", 0)[0:20],
    "term page": lambda: queries.for_term_page("attention"),
}
EMPTY_ORM = {
    "index count": lambda: PublishedTerm.objects.count(),
    "index page": lambda: listed(index_queryset()[0:20]),
    "letter page": lambda: listed(index_queryset("A")[0:20]),
    "recent": lambda: listed(PublishedTerm.objects.order_by("-published_at", "sort_name", "slug")[:9]),
    "tag page": lambda: listed(tag_queryset("training")[0:20]),
    "term page": lambda: PublishedTerm.objects.filter(slug="attention").first(),
}


@pytest.mark.parametrize("reader", EMPTY_READERS)
def test_readers_of_an_empty_glossary_match_the_orm(db, make_term, reader):
    make_term("Attention", tags=["Training"])  # a draft: nothing is published

    assert EMPTY_READERS[reader]() == EMPTY_ORM[reader]()
