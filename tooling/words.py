"""The word lists generate_terms draws from, read once from tooling/data/ (one entry per line)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_lines(name: str) -> list[str]:
    """The entries of a data file: every line but blank ones and `#` comments."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def read_table(name: str, columns: int) -> list[tuple[str, ...]]:
    """The entries of a tab-separated data file, each split into exactly `columns` fields."""
    rows = [tuple(line.split("\t")) for line in read_lines(name)]
    for row in rows:
        if len(row) != columns:
            raise ValueError(f"{DATA_DIR / name}: {columns} tab-separated fields expected, not {len(row)}: {row!r}")
    return rows


# A name is "<adjective> <subject> <technique>"; each file's first lines say what its fields are.
ADJECTIVES = read_table("adjectives.tsv", 4)  # (adjective, how it works, IPA or "", tag or "")
SUBJECTS = read_table("subjects.tsv", 4)  # (word in the name, one of them, several of them, IPA or "")
# (word in the name, what kind of thing it is, what it does with "{things}", tags, IPA or "")
TECHNIQUES = [
    (word, kind, clause, tuple(tags.split(", ")), ipa)
    for word, kind, clause, tags, ipa in read_table("techniques.tsv", 5)
]
TAG_NAMES = read_lines("tags.txt")
PARAMS = read_lines("params.txt")
CONTEXT_SENTENCES = read_lines("context_sentences.txt")
STEP_INTROS = read_lines("step_intros.txt")
STEPS = read_lines("steps.txt")
CLOSING_PARAGRAPHS = read_lines("closing_paragraphs.txt")
ANALOGIES = read_lines("analogies.txt")
DOMAINS = read_lines("domains.txt")
USAGE_BULLETS = read_lines("usage_bullets.txt")
FIELDS = read_lines("fields.txt")
EVENTS = read_lines("events.txt")
EXAMPLE_SETTINGS = read_table("example_settings.tsv", 3)  # (who, where they use it, example title)
EXAMPLE_RESULTS = read_lines("example_results.txt")
MISCONCEPTIONS = read_table("misconceptions.tsv", 2)  # (claim, correction)
