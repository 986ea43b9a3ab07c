"""Field-by-field comparison of two snapshots (terms/diffing.py)."""

from terms import diffing


def test_line_endings_alone_are_not_a_change_in_the_diff():
    assert diffing.compare({"analogy": "Walking downhill\r\nin fog."}, {"analogy": "Walking downhill\nin fog."}) == []


def test_a_labels_new_kind_reads_as_its_kind_word_replaced():
    (change,) = diffing.compare({"aliases": "LLM\nLangauge model"}, {"aliases": "LLM\nhidden: Langauge model"})
    assert str(change.html) == "LLM\n<ins>hidden: </ins>Langauge model"
