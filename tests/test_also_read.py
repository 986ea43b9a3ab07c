""" "People also read": chosen at publish time from wording, shared tags and relations, apart from "Related terms"."""

import pytest

from terms import also_read
from terms.bulk_publishing import complete_deferred, publish_new_in_bulk
from terms.deprecation import deprecate
from terms.models import PublishedAlsoRead, PublishedTerm, Relation
from terms.publishing import publish, unpublish
from terms.workflow import Draft

# Two terms worded alike, and terms about other things: a word every term uses tells nothing.
BEAM = {
    "short_definition": "A decoding method that keeps the most probable partial sequences of tokens at each step.",
    "explanation": "Beam search decoding expands several candidate sequences of tokens and keeps the most probable.",
}
GREEDY = {
    "short_definition": "A decoding method that picks the most probable next token at each step.",
    "explanation": "Greedy decoding picks the single most probable token, so its sequence may not be the most probable.",
}
OTHERS = {
    "Chatbot": "A program that holds a conversation with people in writing.",
    "Data centre": "A building full of servers, cables and cooling machinery.",
    "Dropout": "Switching off random units of a network while it learns.",
}


def shown(slug: str) -> list[str]:
    """The names a term's page lists under "People also read", in order."""
    return [other["name"] for other in PublishedTerm.objects.get(slug=slug).also_read]


def also_read_section(client, slug: str) -> str:
    html = client.get(f"/terms/{slug}/").content.decode()
    start = html.find('id="also-read"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


@pytest.fixture
def publish_all():
    def publish_all(*terms):
        for term in terms:
            publish(term, by=None)

    return publish_all


def test_a_term_sharing_a_tag_is_read_also(make_term, publish_all):
    publish_all(make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"]))
    assert shown("dropout") == ["Weight decay"]


def test_the_page_shows_people_also_read_with_one_liners(client, make_term, publish_all):
    publish_all(
        make_term("Dropout", tags=["Training"]),
        make_term("Weight decay", short_definition="Shrinking weights a little each step.", tags=["Training"]),
    )
    assert "Shrinking weights a little each step." in also_read_section(client, "dropout")


def test_the_page_has_no_people_also_read_when_nothing_is_close(client, make_term, publish_all):
    publish_all(make_term("Dropout", tags=["Training"]), make_term("Chatbot", tags=["Products"]))
    assert "People also read" not in client.get("/terms/dropout/").content.decode()


def test_a_related_term_is_never_repeated_in_people_also_read(make_term, publish_all, relate):
    dropout, decay = make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"])
    relate(dropout, decay)
    publish_all(decay, dropout)
    assert shown("dropout") == []


def test_a_term_related_to_the_page_from_the_other_side_is_not_repeated_either(make_term, publish_all, relate):
    dropout, decay = make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"])
    relate(decay, dropout)
    publish_all(dropout, decay)
    assert shown("dropout") == []


def test_a_draft_is_never_read_also(make_term, publish_all):
    make_term("Secret draft", tags=["Training"])
    publish_all(make_term("Dropout", tags=["Training"]))
    assert shown("dropout") == []


def test_at_most_six_terms_are_shown(make_term, publish_all):
    publish_all(*(make_term(f"Method {number}", tags=["Training"]) for number in range(10)))
    assert len(shown("method-0")) == 6


def test_a_term_related_to_a_related_term_comes_before_one_sharing_a_tag(make_term, publish_all, relate):
    page, hub = make_term("Dropout", tags=["Training"]), make_term("Regularisation")
    two_steps_away, same_tag = make_term("Zoneout"), make_term("Adam", tags=["Training"])
    relate(page, hub)
    relate(hub, two_steps_away)
    publish_all(same_tag, two_steps_away, hub, page)
    assert shown("dropout") == ["Zoneout", "Adam"]


def test_more_shared_tags_rank_higher(make_term, publish_all):
    publish_all(
        make_term("Dropout", tags=["Training", "Regularisation"]),
        make_term("Adam", tags=["Training"]),
        make_term("Weight decay", tags=["Training", "Regularisation"]),
    )
    assert shown("dropout") == ["Weight decay", "Adam"]


def test_ties_are_in_alphabetical_order(make_term, publish_all):
    publish_all(*(make_term(name, tags=["Training"]) for name in ["Dropout", "Zoneout", "Adam", "Momentum"]))
    assert shown("dropout") == ["Adam", "Momentum", "Zoneout"]


def test_an_earlier_page_gains_a_term_published_after_it(make_term, publish_all):
    publish_all(make_term("Dropout", tags=["Training"]))
    publish_all(make_term("Weight decay", tags=["Training"]))
    assert shown("dropout") == ["Weight decay"]


def test_an_earlier_page_gains_a_term_published_in_bulk_after_it(make_term, publish_all):
    publish_all(make_term("Dropout", tags=["Training"]))
    publish_new_in_bulk([Draft.load(make_term("Weight decay", tags=["Training"]))], by=None)
    assert shown("dropout") == ["Weight decay"]


def test_unpublishing_a_term_takes_it_off_the_pages_that_showed_it(make_term, publish_all):
    dropout, decay = make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"])
    publish_all(dropout, decay)
    unpublish(decay, by=None)
    assert shown("dropout") == []


def test_unpublishing_leaves_no_rows_pointing_at_the_term(make_term, publish_all):
    dropout, decay = make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"])
    publish_all(dropout, decay)
    unpublish(decay, by=None)
    assert not PublishedAlsoRead.objects.filter(target_id=decay.pk).exists()


def test_a_renamed_term_shows_its_new_name_on_the_pages_that_list_it(make_term, publish_all):
    dropout, decay = make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"])
    publish_all(dropout, decay)
    decay.name = "L2 regularisation"
    decay.save()
    publish(decay, by=None)
    assert shown("dropout") == ["L2 regularisation"]


def test_a_term_that_becomes_related_leaves_people_also_read(make_term, publish_all, relate):
    dropout, decay = make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"])
    publish_all(dropout, decay)
    relate(dropout, decay)
    publish(dropout, by=None)
    assert shown("dropout") == []


def test_the_other_end_of_a_new_relation_drops_the_page_too(make_term, publish_all, relate):
    dropout, decay = make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"])
    publish_all(dropout, decay)
    relate(dropout, decay)
    publish(dropout, by=None)
    assert shown("weight-decay") == []


def test_the_published_row_returned_by_publish_carries_its_picks(make_term, publish_all):
    publish_all(make_term("Adam", tags=["Training"]))
    published = publish(make_term("Dropout", tags=["Training"]), by=None)
    assert [other["name"] for other in published.also_read] == ["Adam"]


def test_bulk_publishing_chooses_the_same_terms_as_publishing_one_by_one(make_term, relate):
    tags = [["Training"], ["Training", "Evaluation"], ["Evaluation"], ["Training"], ["Evaluation", "Safety"]]
    terms = [make_term(f"Method {number}", tags=tag_names) for number, tag_names in enumerate(tags)]
    relate(terms[0], terms[2])
    relate(terms[2], terms[4])
    publish_new_in_bulk([Draft.load(term) for term in terms], by=None, deferred=True)
    complete_deferred()
    in_bulk = {term.slug: shown(term.slug) for term in terms}
    also_read.refresh([term.pk for term in terms])
    assert in_bulk == {term.slug: shown(term.slug) for term in terms}


def test_a_large_tag_weighs_only_the_terms_nearest_by_name(make_term):
    names = [f"Method {number:03d}" for number in range(2 * also_read.TAG_NEIGHBOURS + 10)]
    publish_new_in_bulk([Draft.load(make_term(name, tags=["Training"])) for name in names], by=None)
    # Method 000 is first A–Z: it weighs the next TAG_NEIGHBOURS names, and keeps the first six.
    assert shown("method-000") == names[1:7]


def test_the_related_terms_of_the_page_stay_under_related_terms(client, make_term, publish_all, relate):
    dropout, decay = make_term("Dropout", tags=["Training"]), make_term("Weight decay", tags=["Training"])
    relate(dropout, decay, Relation.Kind.BROADER)
    publish_all(decay, dropout)
    assert "Weight decay" not in also_read_section(client, "dropout")


def test_the_relations_of_a_hub_are_not_weighed(make_term, relate):
    hub, page = make_term("Machine learning"), make_term("Dropout")
    spokes = [make_term(f"Spoke {number:02d}") for number in range(also_read.HUB_RELATIONS)]
    for other in [page, *spokes]:
        relate(other, hub)
    publish_new_in_bulk([Draft.load(term) for term in [hub, page, *spokes]], by=None)
    assert shown("dropout") == []


def test_republishing_unchanged_keeps_the_picks(make_term, publish_all):
    dropout = make_term("Dropout", tags=["Training"])
    publish_all(dropout, make_term("Weight decay", tags=["Training"]))
    publish(dropout, by=None, again=True)
    assert shown("weight-decay") == ["Dropout"]


@pytest.fixture
def other_terms(make_term):
    """Terms about other things than decoding, with no tag: "Data centre" is "Inference" as beam search is."""
    tags = {"Data centre": ["Inference"]}
    return {
        name: make_term(name, short_definition=text, explanation=text, tags=tags.get(name, []))
        for name, text in OTHERS.items()
    }


def test_a_term_worded_alike_is_read_also_without_a_shared_tag_or_relation(make_term, publish_all, other_terms):
    publish_all(*other_terms.values(), make_term("Greedy decoding", **GREEDY), make_term("Beam search", **BEAM))
    assert shown("beam-search") == ["Greedy decoding"]


def test_a_term_worded_alike_ranks_above_one_sharing_only_a_tag(make_term, publish_all, other_terms):
    publish_all(
        *other_terms.values(),
        make_term("Greedy decoding", **GREEDY),
        make_term("Beam search", **BEAM, tags=["Inference"]),
    )
    assert shown("beam-search") == ["Greedy decoding", "Data centre"]


def test_words_every_term_uses_make_no_terms_alike(make_term, publish_all):
    publish_all(*(make_term(name, short_definition=GREEDY["short_definition"]) for name in ["Dropout", "Chatbot"]))
    assert shown("dropout") == []


def test_a_term_reworded_alike_is_read_also_once_republished(make_term, publish_all, other_terms):
    greedy = make_term("Greedy decoding", short_definition="Picking one thing.", explanation="Picking.")
    publish_all(*other_terms.values(), greedy, make_term("Beam search", **BEAM))
    greedy.short_definition, greedy.explanation = GREEDY["short_definition"], GREEDY["explanation"]
    greedy.save()
    publish(greedy, by=None)
    assert shown("beam-search") == ["Greedy decoding"]


def test_a_draft_worded_alike_is_never_read_also(make_term, publish_all, other_terms):
    make_term("Greedy decoding", **GREEDY)
    publish_all(*other_terms.values(), make_term("Beam search", **BEAM))
    assert shown("beam-search") == []


def test_a_related_term_worded_alike_is_not_repeated(make_term, publish_all, other_terms, relate):
    greedy, beam = make_term("Greedy decoding", **GREEDY), make_term("Beam search", **BEAM)
    relate(beam, greedy)
    publish_all(*other_terms.values(), greedy, beam)
    assert shown("beam-search") == []


def test_a_deprecated_term_worded_alike_is_never_read_also(make_term, publish_all, other_terms):
    greedy = make_term("Greedy decoding", **GREEDY)
    publish_all(*other_terms.values(), greedy, make_term("Beam search", **BEAM))
    deprecate(greedy, by=None, reason="Old.", replaced_by=[other_terms["Chatbot"]])
    assert shown("beam-search") == []


def test_relations_through_a_term_related_to_few_weigh_more_than_through_one_related_to_many(
    make_term, publish_all, relate
):
    page, busy, quiet = make_term("Dropout"), make_term("Regularisation"), make_term("Noise")
    through_busy, through_quiet = make_term("Alpha"), make_term("Zeta")
    relate(page, busy)
    relate(page, quiet)
    relate(quiet, through_quiet)
    spokes = [make_term(f"Spoke {number}") for number in range(8)]
    for other in [through_busy, *spokes]:
        relate(busy, other)
    publish_all(through_busy, through_quiet, *spokes, busy, quiet, page)
    assert shown("dropout")[0] == "Zeta"


@pytest.fixture
def glossary_around(make_term, relate, other_terms):
    """A page with a related term, a tag and a term worded alike; `grow(n)` publishes n more terms like them."""
    page, greedy, hub = (
        make_term("Beam search", **BEAM, tags=["Inference"]),
        make_term("Greedy decoding", **GREEDY),
        make_term("Decoding"),
    )
    relate(page, hub)
    relate(hub, greedy)
    for term in [*other_terms.values(), greedy, hub, page]:
        publish(term, by=None)

    def grow(count: int) -> None:
        terms = [make_term(f"Sampling method {number}", **GREEDY, tags=["Inference"]) for number in range(count)]
        for term in terms:
            relate(hub, term)
        publish_new_in_bulk([Draft.load(term) for term in terms], by=None)

    page.grow = grow
    return page


QUERIES_TO_CHOOSE = 22


def test_choosing_for_one_term_reads_a_fixed_number_of_queries(glossary_around, django_assert_num_queries):
    glossary_around.grow(10)
    with django_assert_num_queries(QUERIES_TO_CHOOSE):
        also_read.Graph().choose(glossary_around.pk)


def test_choosing_for_one_term_reads_as_many_queries_in_a_larger_glossary(glossary_around, django_assert_num_queries):
    glossary_around.grow(60)
    with django_assert_num_queries(QUERIES_TO_CHOOSE):
        also_read.Graph().choose(glossary_around.pk)
