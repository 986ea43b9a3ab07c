"""Field-by-field comparison of two snapshots (terms/diffing.py)."""

from terms import diffing


def test_line_endings_alone_are_not_a_change_in_the_diff():
    assert diffing.compare({"analogy": "Walking downhill\r\nin fog."}, {"analogy": "Walking downhill\nin fog."}) == []
