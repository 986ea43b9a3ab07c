"""The word lists: data files read once, one entry per line."""

import pytest

from tooling import words


def test_blank_lines_and_comments_are_not_entries(tmp_path, monkeypatch):
    (tmp_path / "list.txt").write_text("# What the list is\n\nfirst\nsecond\n", encoding="utf-8")
    monkeypatch.setattr(words, "DATA_DIR", tmp_path)
    assert words.read_lines("list.txt") == ["first", "second"]


def test_a_table_entry_is_split_at_tabs_keeping_empty_fields(tmp_path, monkeypatch):
    (tmp_path / "table.tsv").write_text("sparse\tby activating little\t\tEfficiency\n", encoding="utf-8")
    monkeypatch.setattr(words, "DATA_DIR", tmp_path)
    assert words.read_table("table.tsv", 4) == [("sparse", "by activating little", "", "Efficiency")]


def test_a_table_entry_with_a_field_missing_is_refused(tmp_path, monkeypatch):
    (tmp_path / "table.tsv").write_text("sparse\tby activating little\tEfficiency\n", encoding="utf-8")
    monkeypatch.setattr(words, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="4 tab-separated fields expected, not 3"):
        words.read_table("table.tsv", 4)


def test_every_tag_the_word_lists_give_a_term_is_a_known_tag():
    given = {tag for *_, tag in words.ADJECTIVES if tag}
    given |= {tag for _, _, _, tags, _ in words.TECHNIQUES for tag in tags}
    assert given - set(words.TAG_NAMES) == set()


def test_a_technique_can_have_several_tags():
    assert {word: tags for word, _, _, tags, _ in words.TECHNIQUES}["distillation"] == ("Efficiency", "Training")
