"""“People also read”: for each published term, up to six other published terms its
readers are likely to want next, chosen when terms are published, never on a page view.

They come from the published layer's text, relations and tags, and are kept apart from the
editors' curated "Related terms": a term's related terms are never repeated here.

Only a bounded set of candidates is weighed: the terms sharing one of the term's keywords
(`terms.keywords`) that at most `COMMON_KEYWORD` terms have; the related terms of the term's
related terms; and in each of its tags the `TAG_NEIGHBOURS` members nearest to it by name on
either side (all of a small tag's members; an evenly spread sample of a large one). A candidate
scores:

- up to `TEXT_POINTS` for wording alike: the sum, over the keywords both have, of their two
  weights times the keyword's rarity squared, ln(N / n) / ln(N) for n of the N published terms
  having it (a keyword every term has counts for nothing); below `MIN_SIMILARITY`, nothing;
- for each of the term's related terms it is related to as well, `RELATION_POINTS` times that
  term's own rarity, ln(H / r) / ln(H) for its r relations, H being `HUB_RELATIONS`: the more
  terms it relates, the less it says about any of them, and a hub with H or more says nothing;
- `TAG_POINTS` for each tag it shares with the term.

The best six are picked, ties A–Z. Choosing for one term is a handful of index-served queries,
whatever the glossary's size.

The picks are stored on the term's published row (what its page shows) and as
`PublishedAlsoRead` rows, so that when a term is renamed or taken off the site the pages
that show it are found and chosen for again.
"""

import bisect
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count

from . import bulk
from .models.published import (
    LISTED,
    SHOWN,
    PublishedAlsoRead,
    PublishedKeyword,
    PublishedRelation,
    PublishedTerm,
    PublishedTermTag,
)
from .related import relations_both_ways

MAX_ALSO_READ = 6
TAG_NEIGHBOURS = 20
# A related term with this many relations or more (a hub such as "Machine learning") says nothing
# about any one of them: its own related terms are not weighed.
HUB_RELATIONS = 40
# A keyword more terms have than this says little about any of them, and would make choosing read many rows.
COMMON_KEYWORD = 100
TEXT_POINTS = 25
# Wording alike below this (a word or two shared in passing) is no reason to read on.
MIN_SIMILARITY = 0.02
RELATION_POINTS = 2
TAG_POINTS = 1
# Scores this close tie (text scores are sums of floats), and ties go A–Z.
TIE_DIGITS = 6
TIE = 10**-TIE_DIGITS / 2
BATCH = 500


class Graph:
    """What choosing needs of the published layer: relations, tags, keywords and names of terms.

    Read lazily with bounded queries, for the few terms a publish touches; or, with
    `whole=True`, read once in full, for choosing for every term of a large glossary.
    """

    def __init__(self, *, whole: bool = False):
        self.neighbours: dict[int, set[int]] = {}
        self.tags_of: dict[int, set[str]] = {}
        self.sort_names: dict[int, str] = {}
        # Whole mode only: each tag's members as sorted (sort_name, term_id) pairs and their ids in the same
        # order, and what a page shows of each term.
        self.members: dict[str, tuple[list[tuple[str, int]], list[int]]] = {}
        self.member_sets: dict[str, set[int]] = {}
        self.shown: dict[int, dict] = {}
        # Whole mode only: each term's keywords that are not too common, and the terms having each.
        self.keywords_of: dict[int, list[tuple[str, float]]] = {}
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self._total: int | None = None
        self.whole = whole
        if whole:
            self._load_whole()

    def _load_whole(self) -> None:
        # A deprecated term is nobody's pick, and picks nothing itself.
        listed = PublishedTerm.objects.filter(LISTED).order_by()
        for term_id, sort_name, *shown in listed.values_list("pk", "sort_name", *SHOWN.values()):
            self.sort_names[term_id] = sort_name
            self.neighbours[term_id] = set()
            self.tags_of[term_id] = set()
            self.shown[term_id] = dict(zip(SHOWN, shown, strict=True))
        for source, target in PublishedRelation.objects.order_by().values_list("source_id", "target_id"):
            if source in self.sort_names and target in self.sort_names and source != target:
                self.neighbours[source].add(target)
                self.neighbours[target].add(source)
        members = defaultdict(list)
        for term_id, slug, sort_name in PublishedTermTag.objects.order_by().values_list("term_id", "slug", "sort_name"):
            self.tags_of[term_id].add(slug)
            members[slug].append((sort_name, term_id))
        for slug, pairs in members.items():
            pairs.sort()
            self.members[slug] = (pairs, [pk for _, pk in pairs])
            self.member_sets[slug] = {pk for _, pk in pairs}
        # Only the keywords that are not too common: the others are never weighed.
        for term_id, keyword, weight in telling_rows():
            if term_id in self.sort_names:
                self.postings.setdefault(keyword, []).append((term_id, weight))
                self.keywords_of.setdefault(term_id, []).append((keyword, weight))
        self._total = len(self.sort_names)

    def load(self, term_ids: Iterable[int]) -> None:
        """Read the relations, tags and names of these terms, if not read yet (lazy mode)."""
        if self.whole:
            return
        missing = sorted({pk for pk in term_ids if pk not in self.sort_names})
        if not missing:
            return
        for term_id in missing:
            self.neighbours[term_id] = set()
            self.tags_of[term_id] = set()
        for start in range(0, len(missing), BATCH):
            chunk = missing[start : start + BATCH]
            listed = PublishedTerm.objects.filter(LISTED, pk__in=chunk)  # a deprecated term is nobody's pick
            self.sort_names.update(listed.values_list("pk", "sort_name"))
            for term_id, slug in PublishedTermTag.objects.filter(term_id__in=chunk).values_list("term_id", "slug"):
                self.tags_of[term_id].add(slug)
        wanted = set(missing)
        for relation in relations_both_ways(missing):
            for own, other in ((relation.source_id, relation.target_id), (relation.target_id, relation.source_id)):
                if own in wanted and own != other:
                    self.neighbours[own].add(other)
        for term_id in missing:
            if term_id not in self.sort_names:  # not published, or deprecated: nothing to weigh
                self.neighbours.pop(term_id, None)
                self.tags_of.pop(term_id, None)

    def near(self, term_id: int, slug: str) -> list[int]:
        """The members of a tag nearest to the term by name, up to `TAG_NEIGHBOURS` on each side."""
        key = (self.sort_names[term_id], term_id)
        if self.whole:
            pairs, ids = self.members.get(slug, ([], []))
            at = bisect.bisect_left(pairs, key)
            near = ids[max(0, at - TAG_NEIGHBOURS) : at + TAG_NEIGHBOURS + 1]
            if at < len(ids) and ids[at] == term_id:
                near.remove(term_id)
            return near
        # The (slug, sort_name) index serves both halves.
        members = PublishedTermTag.objects.filter(slug=slug).values_list("term_id", flat=True)
        below = members.filter(sort_name__lt=key[0]).order_by("-sort_name")[:TAG_NEIGHBOURS]
        above = members.filter(sort_name__gte=key[0]).order_by("sort_name")[: TAG_NEIGHBOURS + 1]
        return [pk for pk in [*below, *above] if pk != term_id]

    @property
    def total(self) -> int:
        """How many published terms can be picked: what a keyword's rarity is measured against."""
        if self._total is None:
            self._total = PublishedTerm.objects.filter(LISTED).count()
        return self._total

    def alike(self, term_id: int) -> dict[int, float]:
        """The terms worded like the term, each with how alike (0 to 1; at least `MIN_SIMILARITY`)."""
        if self.whole:
            mine = self.keywords_of.get(term_id, ())
            shared = [(weight, self.postings[word]) for word, weight in mine if word in self.postings]
        else:
            # One query: every term having one of the term's keywords that are not too common (the term included).
            postings = defaultdict(list)
            weights = {}
            for other, keyword, weight in telling_rows(term_id):
                postings[keyword].append((other, weight))
                if other == term_id:
                    weights[keyword] = weight
            shared = [(weights[keyword], terms) for keyword, terms in postings.items() if keyword in weights]
        total = self.total
        if total < 2:
            return {}
        scale = math.log(total)
        scores: defaultdict[int, float] = defaultdict(float)
        for weight, terms in shared:
            rarity = math.log(total / len(terms)) / scale if len(terms) < total else 0.0
            factor = weight * rarity * rarity
            if factor:
                for other, other_weight in terms:
                    scores[other] += factor * other_weight
        scores.pop(term_id, None)
        return {pk: score for pk, score in scores.items() if score >= MIN_SIMILARITY}

    def sharing_tags(self, term_id: int, candidates: set[int]) -> list[int]:
        """Each candidate once for each tag it shares with the term."""
        mine = self.tags_of[term_id]
        if self.whole:
            return [pk for slug in mine for pk in self.member_sets[slug].intersection(candidates)]
        candidates = sorted(candidates)
        found: list[int] = []
        for start in range(0, len(candidates) if mine else 0, BATCH):
            rows = PublishedTermTag.objects.filter(term_id__in=candidates[start : start + BATCH], slug__in=mine)
            found.extend(rows.values_list("term_id", flat=True))
        return found

    def choose(self, term_id: int) -> list[int]:
        """Up to `MAX_ALSO_READ` published terms for the term's page, best first."""
        self.load([term_id])
        if term_id not in self.sort_names:
            return []
        related = self.neighbours[term_id]
        self.load(related)
        through: dict[int, float] = defaultdict(float)
        for other in related:
            others = self.neighbours.get(other, ())
            if 0 < len(others) < HUB_RELATIONS:
                # Like a keyword's rarity: the more terms it relates, the less it says about each.
                points = RELATION_POINTS * math.log(HUB_RELATIONS / len(others)) / math.log(HUB_RELATIONS)
                for pk in others:
                    through[pk] += points
        alike = self.alike(term_id)
        candidates = set(through).union(alike, *(self.near(term_id, slug) for slug in self.tags_of[term_id]))
        candidates.difference_update((*related, term_id))
        # Each candidate once per shared tag, counted by Counter in C: choosing for every term of a
        # large glossary weighs millions of candidates.
        scores: dict[int, float] = Counter(self.sharing_tags(term_id, candidates) * TAG_POINTS)
        for pk in candidates.intersection(through):
            scores[pk] += through[pk]
        for pk in candidates.intersection(alike):
            scores[pk] += TEXT_POINTS * alike[pk]
        if len(scores) <= MAX_ALSO_READ:
            finalists = list(scores)
        else:
            # The sixth best's score: those above it are in, and its ties are broken A–Z.
            floor = heapq.nlargest(MAX_ALSO_READ, scores.values())[-1]
            finalists = [pk for pk, score in scores.items() if score > floor + TIE]
            tied = [pk for pk, score in scores.items() if floor - TIE <= score <= floor + TIE]
            if not self.whole:
                self.load(tied)
                tied = [pk for pk in tied if pk in self.sort_names]
            tied.sort(key=self.sort_names.__getitem__)
            finalists += tied[: MAX_ALSO_READ - len(finalists)]
        self.load(finalists)
        chosen = sorted(
            (-round(scores[pk], TIE_DIGITS), self.sort_names[pk], pk) for pk in finalists if pk in self.sort_names
        )
        return [pk for _, _, pk in chosen[:MAX_ALSO_READ]]


def telling_rows(term_id: int | None = None) -> Iterable[tuple[int, str, float]]:
    """(term, keyword, weight) rows of the keywords at most `COMMON_KEYWORD` terms have: every such keyword,
    or the term's own; counted and read from the keywords' index."""
    keywords = PublishedKeyword.objects.order_by()
    telling = keywords.values("keyword").annotate(terms=Count("term")).filter(terms__lte=COMMON_KEYWORD)
    if term_id is not None:
        # The term's few telling keywords first, as a list: nested inside the rows' query, PostgreSQL
        # plans the count over the whole table (seconds at a few thousand terms).
        own = PublishedKeyword.objects.filter(term_id=term_id).values("keyword")
        telling = list(telling.filter(keyword__in=own).values_list("keyword", flat=True))
    else:
        telling = telling.values("keyword")
    return PublishedKeyword.objects.filter(keyword__in=telling).values_list("term_id", "keyword", "weight")


def listing(term_ids: Iterable[int]) -> set[int]:
    """The published pages whose "People also read" shows one of these terms."""
    term_ids = list(term_ids)
    found: set[int] = set()
    for start in range(0, len(term_ids), BATCH):
        chunk = term_ids[start : start + BATCH]
        found.update(PublishedAlsoRead.objects.filter(target_id__in=chunk).values_list("source_id", flat=True))
    return found


def refresh(term_ids: Iterable[int], *, graph: Graph | None = None) -> set[int]:
    """Choose again for these published terms (missing ones are skipped); return every term picked."""
    graph = graph or Graph()
    term_ids = sorted(set(term_ids))
    picked: set[int] = set()
    for start in range(0, len(term_ids), BATCH):
        chunk = term_ids[start : start + BATCH]
        graph.load(chunk)
        chunk = [pk for pk in chunk if pk in graph.sort_names]
        choices = {pk: graph.choose(pk) for pk in chunk}
        picked.update(pk for chosen in choices.values() for pk in chosen)
        _write(choices, shown=graph.shown if graph.whole else None)
    return picked


def after_publish(
    term_ids: Iterable[int], *, neighbours_before: Iterable[int] = (), links_changed: bool = True, renamed: bool = False
) -> None:
    """Choose for terms just published, and for the pages their publish changes.

    `links_changed`: they are new, or their tags or their own relations changed: the terms
    related to them before (`neighbours_before`) or now weigh other candidates through them,
    and the terms they pick may want them back. `renamed`: a slug, name or one-liner changed,
    as the pages showing them show them.
    """
    graph = Graph()
    term_ids = set(term_ids)
    picked = refresh(term_ids, graph=graph)
    if links_changed:
        around = set(neighbours_before).union(*(graph.neighbours.get(pk, ()) for pk in term_ids))
        refresh((around | picked) - term_ids, graph=graph)
    if renamed:
        reshow(listing(term_ids))


def reshow(term_ids: Iterable[int]) -> None:
    """Write again what these pages show of the terms they picked, without choosing again."""
    term_ids = sorted(set(term_ids))
    for start in range(0, len(term_ids), BATCH):
        choices: dict[int, list[int]] = {pk: [] for pk in term_ids[start : start + BATCH]}
        rows = PublishedAlsoRead.objects.filter(source_id__in=list(choices)).order_by("source_id", "position")
        for source, target in rows.values_list("source_id", "target_id"):
            choices[source].append(target)
        _write(choices)


def refresh_all() -> int:
    """Choose for every published term, reading the published layer once."""
    graph = Graph(whole=True)
    ids = sorted(graph.sort_names)
    PublishedAlsoRead.objects.all().delete()  # at once, rather than page by page
    refresh(ids, graph=graph)
    return len(ids)


def _write(choices: dict[int, list[int]], *, shown: dict[int, dict] | None = None) -> None:
    """Store the chosen terms on each page's row, with what the page shows of them, and as rows.

    `shown`: what pages show of every published term, if already read.
    """
    if not choices:
        return
    if shown is None:
        shown = {}
        wanted = sorted({pk for chosen in choices.values() for pk in chosen})
        for start in range(0, len(wanted), BATCH):
            rows = PublishedTerm.objects.filter(pk__in=wanted[start : start + BATCH]).values_list("pk", *SHOWN.values())
            shown.update((pk, dict(zip(SHOWN, values, strict=True))) for pk, *values in rows)
    bulk.update(
        PublishedTerm,
        ["also_read"],
        {source: {"also_read": [shown[pk] for pk in chosen if pk in shown]} for source, chosen in choices.items()},
    )
    PublishedAlsoRead.objects.filter(source_id__in=list(choices)).delete()
    # Plain tuples: building a model instance per row cost more than choosing the terms.
    bulk.insert_rows(
        PublishedAlsoRead,
        ["source", "target", "position"],
        [[source, pk, position] for source, chosen in choices.items() for position, pk in enumerate(chosen, 1)],
    )
