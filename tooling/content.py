"""Synthetic terms' content, drawn from the word lists by one seeded random.Random: no database."""

import random
import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from terms.enums import RelationKind
from terms.models.editorial import Term, lower_common_words
from terms.models.parts import Example, Misconception
from terms.models.relations import Relation

from .words import (
    ADJECTIVES,
    ANALOGIES,
    CLOSING_PARAGRAPHS,
    CONTEXT_SENTENCES,
    DOMAINS,
    EVENTS,
    EXAMPLE_RESULTS,
    EXAMPLE_SETTINGS,
    FIELDS,
    MISCONCEPTIONS,
    PARAMS,
    STEP_INTROS,
    STEPS,
    SUBJECTS,
    TAG_NAMES,
    TECHNIQUES,
    USAGE_BULLETS,
)

# A term's relations lead to earlier terms, so only "broader" is directional here: the broader term
# is always the earlier one, and the hierarchy never loops (publishing refuses loops).
RELATION_KINDS = [RelationKind.RELATED.value] * 5 + [
    RelationKind.BROADER.value,
    RelationKind.BROADER.value,
    RelationKind.CONTRAST.value,
]
ACRONYM_SPLIT = re.compile(r"[\s-]+")


@dataclass
class Plan:
    """One term's generated content, before it has a primary key."""

    term: Term
    technique: int
    examples: list[Example] = field(default_factory=list)
    misconceptions: list[Misconception] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)  # chosen once the term has a primary key

    def markdown_texts(self) -> list[str]:
        term = self.term
        texts = [term.explanation, term.analogy, term.usage, term.history]
        return texts + [e.body for e in self.examples] + [m.correction for m in self.misconceptions]


class TermWriter:
    """Draws names and content from one random.Random(seed); knows nothing of the database."""

    total_names = len(ADJECTIVES) * len(SUBJECTS) * len(TECHNIQUES)

    def __init__(self, seed: int, *, taken_names=(), taken_slugs=()):
        self.rng = random.Random(seed)
        # Names and aliases share one case-insensitive namespace, so no alias is another term's name.
        self.taken = {name.casefold() for name in taken_names}
        self.taken_slugs = set(taken_slugs)

    def names(self, n: int) -> list[tuple[str, tuple[int, int, int]]]:
        """N unique names, each with the indices of its three words; numbered once every combination is used."""
        picks = []
        while len(picks) < n:
            picks += self.rng.sample(range(self.total_names), min(n - len(picks), self.total_names))
        result = []
        for pick in picks:
            pick, t = divmod(pick, len(TECHNIQUES))
            a, s = divmod(pick, len(SUBJECTS))
            base = f"{ADJECTIVES[a][0].capitalize()} {SUBJECTS[s][0]} {TECHNIQUES[t][0]}"
            name, number = base, 1
            while (folded := name.casefold()) in self.taken or (slug := slugify(name)) in self.taken_slugs:
                number += 1
                name = f"{base} {number}"
            self.taken.add(folded)
            self.taken_slugs.add(slug)
            result.append((name, (a, s, t)))
        return result

    def plan(self, name: str, words: tuple[int, int, int], *, now) -> Plan:
        rng = self.rng
        a, s, t = words
        adjective, how, adjective_ipa, adjective_tag = ADJECTIVES[a]
        subject, thing, things, subject_ipa = SUBJECTS[s]
        technique, kind, clause, technique_tags, technique_ipa = TECHNIQUES[t]
        in_sentence = lower_common_words(name)
        clause = clause.format(things=things)
        article = "an" if kind[0] in "aeiou" else "a"
        fill = {
            "Name": name,
            "name": in_sentence,
            "thing": thing,
            "things": things,
            "technique": technique,
            "adjective": adjective,
            "how": how,
            "param": rng.choice(PARAMS),
            "decade": rng.choice((1980, 1990, 2000, 2010)),
        }

        short_definition = f"{article.capitalize()} {kind} {clause}, {how}."  # at most 179 characters

        paragraphs = [f"**{name}** is {article} {kind} {clause}, {how}. {rng.choice(CONTEXT_SENTENCES)}"]
        steps = "\n".join(f"- {step.format(**fill)}" for step in rng.sample(STEPS, 3))
        paragraphs.append(f"{rng.choice(STEP_INTROS)}\n\n{steps}")
        if rng.random() < 0.6:
            paragraphs.append(rng.choice(CLOSING_PARAGRAPHS).format(**fill))

        domains = rng.sample(DOMAINS, 3)
        usage = f"{name} is used in {domains[0]}, {domains[1]} and {domains[2]}."
        if rng.random() < 0.4:
            usage += "\n\nTeams adopt it mainly for:\n\n" + "\n".join(f"- {b}" for b in rng.sample(USAGE_BULLETS, 2))
        year = rng.randint(fill["decade"] + 15, 2025)
        history = (
            f"The idea behind {in_sentence} goes back to work on {rng.choice(FIELDS)} in the {fill['decade']}s. "
            f"It became popular around {year}, when {rng.choice(EVENTS)}."
        )

        pronunciation = ""
        if adjective_ipa and subject_ipa and technique_ipa and rng.random() < 0.15:
            pronunciation = f"/{adjective_ipa} {subject_ipa} {technique_ipa}/"

        term = Term(
            name=name,
            slug=slugify(name),
            sentence_name="",
            short_definition=short_definition,
            pronunciation=pronunciation,
            aliases="\n".join(self.aliases(name)),
            explanation="\n\n".join(paragraphs),
            analogy=rng.choice(ANALOGIES).format(**fill),
            usage=usage,
            history=history,
            status=Term.Status.DRAFT,
            created_at=now,
            updated_at=now,
        )
        plan = Plan(term=term, technique=t)
        for position, (who, where, title) in enumerate(rng.sample(EXAMPLE_SETTINGS, rng.randint(1, 2)), start=1):
            before, ms = rng.randint(60, 80), rng.randint(300, 900)
            numbers = {
                "a": before,
                "b": before + rng.randint(2, 12),
                "p": rng.randint(12, 60),
                "days": rng.randint(5, 14),
                "days2": rng.randint(2, 4),
                "ms": ms,
                "ms2": ms // rng.randint(2, 4),
            }
            body = f"{who} applies {in_sentence} to {where}. {rng.choice(EXAMPLE_RESULTS).format(**numbers)}"
            plan.examples.append(Example(position=position, title=title if rng.random() < 0.6 else "", body=body))
        for position, (claim, correction) in enumerate(rng.sample(MISCONCEPTIONS, rng.randint(2, 3)), start=1):
            plan.misconceptions.append(
                Misconception(position=position, claim=claim.format(**fill), correction=correction.format(**fill))
            )
        candidates = [*technique_tags, *([adjective_tag] if adjective_tag else []), *rng.sample(TAG_NAMES, 4)]
        wanted = rng.randint(1, 4)
        for tag_name in candidates:
            if tag_name not in plan.tag_names and len(plan.tag_names) < wanted:
                plan.tag_names.append(tag_name)
        return plan

    def aliases(self, name: str) -> list[str]:
        """0–2 other names: an acronym, a US spelling, an unhyphenated spelling; each unused anywhere."""
        rng = self.rng
        candidates = []
        if rng.random() < 0.5:
            candidates.append("".join(word[0] for word in ACRONYM_SPLIT.split(name) if word).upper())
        if "isation" in name and rng.random() < 0.6:
            candidates.append(name.replace("isation", "ization"))
        if "-" in name and rng.random() < 0.3:
            candidates.append(name.replace("-", " "))
        aliases = []
        for alias in candidates[:2]:
            if alias.casefold() not in self.taken and alias.casefold() != name.casefold():
                self.taken.add(alias.casefold())
                aliases.append(alias)
        return aliases
