"""Each published term's keywords: the words of its text that tell what it is about, written when it is published."""

from terms import keywords
from terms.deprecation import deprecate
from terms.models import PublishedKeyword
from terms.publishing import publish, unpublish


def keywords_of(term) -> dict[str, float]:
    return dict(PublishedKeyword.objects.filter(term_id=term.pk).values_list("keyword", "weight"))


def test_a_published_term_has_the_words_of_its_title_as_keywords(make_term):
    term = make_term("Beam search", short_definition="Keeps the best partial answers.", explanation="Widely used.")
    publish(term, by=None)
    assert {"beam", "search"} <= set(keywords_of(term))


def test_its_title_weighs_more_than_its_explanation(make_term):
    term = make_term("Beam search", short_definition="Keeps the best answers.", explanation="Decoders use it.")
    publish(term, by=None)
    assert keywords_of(term)["beam"] > keywords_of(term)["decoder"]


def test_common_words_and_numbers_are_no_keywords(make_term):
    term = make_term("Beam search", short_definition="It is one of the 3 ways to decode.", explanation="Decoding.")
    publish(term, by=None)
    assert not {"it", "is", "of", "the", "3"} & set(keywords_of(term))


def test_a_plural_is_the_same_keyword_as_its_singular(make_term):
    term = make_term("Token", short_definition="Tokens are pieces of text.", explanation="A token is small.")
    publish(term, by=None)
    assert "tokens" not in keywords_of(term)


def test_the_analogy_gives_no_keywords(make_term):
    term = make_term("Beam search", short_definition="Decoding.", explanation="Decoding.", analogy="Like a torch.")
    publish(term, by=None)
    assert "torch" not in keywords_of(term)


def test_a_term_keeps_at_most_so_many_keywords(make_term):
    text = " ".join(f"word{chr(97 + first)}{chr(97 + second)}" for first in range(10) for second in range(10))
    term = make_term("Beam search", short_definition="Decoding.", explanation=text)
    publish(term, by=None)
    assert len(keywords_of(term)) == keywords.KEYWORDS


def test_the_weights_squares_add_up_to_one(make_term):
    term = make_term("Beam search", short_definition="Keeps the best answers.", explanation="Decoders use it.")
    publish(term, by=None)
    assert round(sum(weight**2 for weight in keywords_of(term).values()), 3) == 1


def test_a_deprecated_term_has_no_keywords(make_term):
    term, successor = make_term("Beam search"), make_term("Greedy decoding")
    for each in (successor, term):
        publish(each, by=None)
    deprecate(term, by=None, reason="Old.", replaced_by=[successor])
    assert keywords_of(term) == {}


def test_an_unpublished_term_has_no_keywords(make_term):
    term = make_term("Beam search")
    publish(term, by=None)
    unpublish(term, by=None)
    assert keywords_of(term) == {}


def test_republishing_reworded_writes_its_new_keywords(make_term):
    term = make_term("Beam search", short_definition="Decoding.", explanation="Decoding.")
    publish(term, by=None)
    term.explanation = "Translators use it."
    term.save()
    publish(term, by=None)
    assert "translator" in keywords_of(term)


def test_rebuilding_writes_every_published_terms_keywords_again(make_term):
    term = make_term("Beam search")
    publish(term, by=None)
    PublishedKeyword.objects.all().delete()
    keywords.rebuild_all()
    assert "beam" in keywords_of(term)
