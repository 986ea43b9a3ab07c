"""Phrases and acronyms that pages use and no term names: read from plain text, counted by page."""

from terms.phrases import Names, most_used, page_text, word_key


def names(*known: str) -> Names:
    glossary = Names()
    for name in known:
        glossary.add(name)
    return glossary


def test_a_plural_and_its_singular_are_one_word():
    assert word_key("Databases") == word_key("database")


def test_words_ending_in_ss_keep_their_s():
    assert word_key("loss") == "loss"


def test_a_phrase_on_two_pages_is_used():
    assert most_used([(1, "A vector database."), (2, "The vector database.")], names(), 20) == [
        ("vector database", [1, 2])
    ]


def test_a_name_inside_a_run_splits_it():
    pages = [(1, "Large language models generate"), (2, "large language models generate")]
    assert most_used(pages, names("Large language model"), 20) == []


def test_an_acronym_and_its_plural_count_together():
    assert most_used([(1, "One GPU."), (2, "Two GPUs.")], names(), 20) == [("GPU", [1, 2])]


def test_numbers_break_a_phrase():
    assert most_used([(1, "Sparse 2021 routing."), (2, "Sparse 2021 routing.")], names(), 20) == []


def test_a_historys_sources_are_not_prose():
    history = "<p>Introduced in 2017.</p>\n<p>Sources: Vaswani et al., <em>Attention Is All You Need</em> (NeurIPS, 2017).</p>"
    assert "NeurIPS" not in page_text({"history": history}, [], [])


def test_a_paragraph_mentioning_sources_midway_stays_prose():
    history = "<p>Open sources: the NeurIPS papers.</p>"
    assert "NeurIPS" in page_text({"history": history}, [], [])
