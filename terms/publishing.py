"""Publish and unpublish: the only writers of the published layer.

Editors change the editorial workspace as often as they like; readers see a
term only as it was when someone with the publish permission published it.
"""

import logging
import multiprocessing
import unicodedata
from collections.abc import Callable
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.text import slugify

from . import also_read
from .bulk import insert
from .linking import Glossary, link, name_rows, published_glossary, whole_published_glossary
from .models.editorial import Example, Misconception, ReviewNote, Term
from .models.published import (
    PublishedMention,
    PublishedName,
    PublishedRedirect,
    PublishedRelation,
    PublishedTerm,
    PublishedTermTag,
    Revision,
    SiteState,
)
from .rendering import render_markdown
from .search import index_terms, rebuild_index, search_index, unindex_terms
from .workflow import Draft, deletion_snapshot, restore_working_copy, snapshot

__all__ = [
    "Draft",
    "complete_deferred",
    "delete_term",
    "publish",
    "publish_new_in_bulk",
    "rebuild_derived",
    "relink_all",
    "rollback",
    "unpublish",
]

logger = logging.getLogger(__name__)

# The markdown sections of a term, each a field `<section>_html` of the published row.
SECTIONS = ("explanation", "analogy", "usage", "history")
# What a cross-link to a term shows of it: when one changes, the pages that link to it are linked again.
IDENTITY = ("slug", "name", "aliases", "short_definition")


class Renderer(Protocol):
    def __call__(self, text: str, *, prefix: str = "") -> str: ...


def publish(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> PublishedTerm:
    """Make the term's saved working copy what readers see, and record a revision.

    Raises ValidationError, changing nothing, if the saved term is not valid.
    """
    with transaction.atomic():
        draft = Draft.load(Term.objects.select_for_update().get(pk=term.pk))
        published = go_live(draft, by=by, message=message, action=Revision.Action.PUBLISH)
        Term.objects.filter(pk=draft.term.pk).update(status=Term.Status.PUBLISHED)
        ReviewNote.objects.create(term=draft.term, action=ReviewNote.Action.PUBLISHED, comment=message, created_by=by)
    term.status = Term.Status.PUBLISHED
    logger.info("Published %s (%s) by %s", draft.term.name, draft.term.slug, by or "the system")
    return published


def rollback(revision: Revision, *, by: AbstractBaseUser | None, message: str = "") -> PublishedTerm:
    """Make an earlier live version what readers see again; recorded as a new revision.

    The working copy follows when it had no unpublished changes; otherwise those
    changes stay in it, waiting for review, and the term shows as "published, with
    unpublished changes". Raises ValidationError, changing nothing, if the old
    version is no longer valid (say, its address is now another term's).
    """
    if not revision.is_live_version:
        raise ValidationError("Only a version that was live can be rolled back to.")
    with transaction.atomic():
        term = Term.objects.select_for_update().filter(pk=revision.term_id).first()
        if term is None:
            raise ValidationError("This term has been deleted; recover it first.")
        when = timezone.localtime(revision.created_at)
        message = message or f"Rolled back to the version published {when:%d %b %Y %H:%M}"
        if term.status == Term.Status.PUBLISHED:
            # The working copy is what readers see: it goes back with the page.
            restored = restore_working_copy(term, revision.snapshot, by=by)
            Term.objects.filter(pk=term.pk).update(version=term.version + 1)
            restored.version = term.version + 1
            draft = Draft.load(restored)
        else:
            # Unpublished changes stay in the working copy, still waiting for review.
            draft = Draft.from_snapshot(term, revision.snapshot)
        published = go_live(
            draft,
            by=by,
            message=message,
            action=Revision.Action.ROLLBACK,
            of_working_copy=term.status == Term.Status.PUBLISHED,
        )
    logger.info("Rolled %s (%s) back by %s", term.name, term.slug, by or "the system")
    return published


def go_live(
    draft: Draft, *, by: AbstractBaseUser | None, message: str, action: str, of_working_copy: bool = True
) -> PublishedTerm:
    """Write a term's content into the published layer, with its revision; inside a transaction.

    `of_working_copy`: the content is the saved working copy, so the revision carries its version
    (a conflict's "what changed since" looks versions up); an older version's content does not.
    """
    validate_for_publishing(draft)
    now = timezone.now()
    values, mentions = published_values(draft, now=now, by=by)
    previous = PublishedTerm.objects.filter(pk=draft.term.pk).values_list(*IDENTITY, "tags").first()
    previous_slug = previous[0] if previous else None
    # Pages that listed the term among their related terms, or lose it now.
    neighbours = related_ids([draft.term.pk])
    previous_relations = set(PublishedRelation.objects.filter(source_id=draft.term.pk).values_list("target_id", "kind"))
    published, _ = PublishedTerm.objects.update_or_create(
        term_id=draft.term.pk, defaults=values, create_defaults={**values, "first_published_at": now}
    )
    published.tag_rows.all().delete()
    PublishedTermTag.objects.bulk_create(tag_rows(draft))
    published.outgoing_relations.all().delete()
    PublishedRelation.objects.bulk_create(relation_rows(draft))
    refresh_related([draft.term.pk, *neighbours, *related_ids([draft.term.pk])])
    update_redirects(draft, previous_slug=previous_slug)
    index_terms([published])
    published.name_rows.all().delete()
    PublishedName.objects.bulk_create(name_rows(published.pk, [published.name, *published.aliases]))
    published.mentions.all().delete()
    PublishedMention.objects.bulk_create(PublishedMention(source_id=published.pk, target_id=pk) for pk in mentions)
    renamed = previous is None or previous[: len(IDENTITY)] != tuple(values[field] for field in IDENTITY)
    if renamed:
        # What links to the term shows its name, address and one-liner: link those pages again,
        # and the pages that mention a name it has now.
        relink(mentioning([published.pk], [published.name, *published.aliases]) - {published.pk})
    version = draft.term.version if of_working_copy else None
    links_changed = (
        previous is None
        or previous[-1] != values["tags"]
        or previous_relations != {(relation.to_term_id, relation.kind) for relation in draft.relations}
    )
    also_read.after_publish([published.pk], neighbours_before=neighbours, links_changed=links_changed, renamed=renamed)
    revision(draft, now=now, by=by, message=message, action=action, version=version).save()
    SiteState.bump(now)
    published.refresh_from_db(fields=["related", "also_read"])
    return published


def related_ids(term_ids: list[int]) -> set[int]:
    """The published terms on the other end of the terms' published relations, either way."""
    ids: set[int] = set()
    for start in range(0, len(term_ids), 500):
        chunk = term_ids[start : start + 500]
        # Two index-served lookups rather than one OR, which would scan every relation.
        ids.update(PublishedRelation.objects.filter(source_id__in=chunk).values_list("target_id", flat=True))
        ids.update(PublishedRelation.objects.filter(target_id__in=chunk).values_list("source_id", flat=True))
    return ids - set(term_ids)


def refresh_related(term_ids) -> None:
    """Recompute the stored "Related terms" of these published terms (missing ones are skipped)."""
    term_ids = sorted(set(term_ids))
    groups = PublishedRelation.objects.groups_by_term(term_ids)
    table, related = PublishedTerm._meta.db_table, PublishedTerm._meta.get_field("related")
    connection = connections[router.db_for_write(PublishedTerm)]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET related = %s WHERE term_id = %s",
            [(related.get_db_prep_save(groups[pk], connection), pk) for pk in term_ids],
        )


def update_redirects(draft: Draft, *, previous_slug: str | None) -> None:
    """Keep the term's former address and its aliases leading to its page."""
    term = draft.term
    # The term's own address is its page now, whatever led there before.
    PublishedRedirect.objects.filter(slug=term.slug).delete()
    if previous_slug and previous_slug != term.slug:
        # A former address never takes over an alias of another term: names in use come first.
        PublishedRedirect.objects.filter(slug=previous_slug, kind=PublishedRedirect.Kind.MOVED).delete()
        PublishedRedirect.objects.bulk_create(
            [PublishedRedirect(slug=previous_slug, term_id=term.pk, kind=PublishedRedirect.Kind.MOVED)],
            ignore_conflicts=True,
        )
    PublishedRedirect.objects.filter(term_id=term.pk, kind=PublishedRedirect.Kind.ALIAS).delete()
    claim_aliases([draft])


def alias_addresses(term: Term) -> dict[str, str]:
    """The address ("llm") of each of the term's aliases ("LLM"), but its own address."""
    addresses: dict[str, str] = {}
    for alias in term.alias_list:
        slug = slugify(alias)
        if slug and slug != term.slug:
            addresses.setdefault(slug, alias)
    return addresses


def refuse_taken_aliases(drafts: list[Draft]) -> None:
    """Raise ValidationError if an alias's address already leads to another published term, or to two of these.

    An address leads to one term: rather than move it silently from one live term to
    another, publishing refuses until one of them drops the alias.
    """
    claims: dict[str, tuple[str, Term]] = {}
    for draft in drafts:
        for slug, alias in alias_addresses(draft.term).items():
            _, other = claims.setdefault(slug, (alias, draft.term))
            if other.pk != draft.term.pk:
                raise ValidationError(alias_taken_message(alias, other.name))
    slugs = sorted(claims)
    for start in range(0, len(slugs), 500):
        # Joining the published term leaves out aliases of terms no longer published: those are free.
        held = PublishedRedirect.objects.filter(slug__in=slugs[start : start + 500], kind=PublishedRedirect.Kind.ALIAS)
        for slug, term_id, other_name in held.values_list("slug", "term_id", "term__name"):
            if term_id != claims[slug][1].pk:
                raise ValidationError(alias_taken_message(claims[slug][0], other_name))


def alias_taken_message(alias: str, other_name: str) -> str:
    return (
        f"The alias “{alias}” would lead /terms/{slugify(alias)}/ here, but that address already leads to "
        f"“{other_name}”, which has the same alias. Remove the alias from one of the two terms."
    )


def claim_aliases(drafts: list[Draft]) -> None:
    """Lead each alias's address to its term (`refuse_taken_aliases` has checked that no published term holds it).

    An alias takes over a former address (old links then lead to the term with that name now)
    and whatever a term no longer published left behind.
    """
    redirects = [
        PublishedRedirect(slug=slug, term_id=draft.term.pk, kind=PublishedRedirect.Kind.ALIAS)
        for draft in drafts
        for slug in alias_addresses(draft.term)
    ]
    for start in range(0, len(redirects), 500):
        PublishedRedirect.objects.filter(
            slug__in=[redirect.slug for redirect in redirects[start : start + 500]]
        ).delete()
    PublishedRedirect.objects.bulk_create(redirects)


def publish_new_in_bulk(
    drafts: list[Draft],
    *,
    by: AbstractBaseUser | None,
    message: str = "",
    render: Renderer = render_markdown,
    deferred: bool = False,
) -> int:
    """Publish many never-published terms at once, with rows identical to `publish`'s.

    For imports and generated data. Each term and part is validated field by field;
    uniqueness is left to the database's constraints, which refuse the whole batch.
    `render` may serve markdown rendered ahead of time (in other processes, say),
    as long as it returns exactly what `render_markdown` would.
    `deferred=True` leaves the "Related terms" of the pages they touch and all cross-links to
    the caller, who must call `complete_deferred()` after the last batch: for a whole generated
    glossary, once at the end costs far less than after every batch (popular terms' related
    lists would be rewritten each time, and every batch's names looked for in every page).
    """
    with transaction.atomic():
        now = timezone.now()
        for draft in drafts:
            validate_for_publishing(draft, with_database_checks=False)
        refuse_taken_aliases(drafts)
        unlinked = Glossary()  # linked below, once every new name can be found
        published = [
            PublishedTerm(
                **published_values(draft, now=now, by=by, render=render, glossary=unlinked)[0], first_published_at=now
            )
            for draft in drafts
        ]
        insert(published)
        index_terms(published)
        insert(row for term in published for row in name_rows(term.pk, [term.name, *term.aliases]))
        claim_aliases(drafts)
        insert(row for draft in drafts for row in tag_rows(draft))
        insert(row for draft in drafts for row in relation_rows(draft))
        new_ids = [draft.term.pk for draft in drafts]
        if not deferred:
            refresh_related([*new_ids, *related_ids(new_ids)])
            also_read.after_publish(new_ids)
            relink(
                {*new_ids, *mentioning(new_ids, [name for term in published for name in [term.name, *term.aliases]])}
            )
        Term.objects.filter(pk__in=[draft.term.pk for draft in drafts]).update(status=Term.Status.PUBLISHED)
        insert(
            revision(draft, now=now, by=by, message=message, action=Revision.Action.PUBLISH, version=draft.term.version)
            for draft in drafts
        )
        SiteState.bump(now)
    for draft in drafts:
        draft.term.status = Term.Status.PUBLISHED
    return len(drafts)


def published_values(
    draft: Draft, *, now, by, render: Renderer = render_markdown, glossary: Glossary | None = None
) -> tuple[dict, set[int]]:
    """The published layer's row for a term, its markdown rendered and cross-linked once; and the ids it links to.

    `glossary` defaults to the published names the term's text could mention.
    """
    term = draft.term
    unlinked = rendered_sections(draft, render)
    values = {
        "term_id": term.pk,
        "slug": term.slug,
        "name": term.name,
        "sentence_name": term.name_in_sentence,
        "short_definition": term.short_definition,
        "pronunciation": term.pronunciation,
        "aliases": term.alias_list,
        "unlinked": unlinked,
        "examples": [{"title": e.title, "html": ""} for e in draft.examples],
        "misconceptions": [{"claim": m.claim, "html": ""} for m in draft.misconceptions],
        "tags": [{"name": tag.name, "slug": tag.slug} for tag in draft.tags],
        "sort_name": term.name.casefold(),
        "letter": initial_letter(term.name),
        "published_at": now,
        "published_by": by,
    }
    if glossary is None:
        glossary = published_glossary(unlinked.values(), own=(term.pk, [term.name, *term.alias_list]))
    mentions = apply_links(values, glossary)
    return values, mentions


def rendered_sections(draft: Draft, render: Renderer = render_markdown) -> dict[str, str]:
    """Each markdown section as sanitised HTML, by the prefix that keeps its ids apart from the others'."""
    term = draft.term
    sections = {key: render(getattr(term, key), prefix=f"{key}-") for key in SECTIONS}
    for number, example in enumerate(draft.examples, start=1):
        sections[f"example-{number}"] = render(example.body, prefix=f"example-{number}-")
    for number, misconception in enumerate(draft.misconceptions, start=1):
        sections[f"misconception-{number}"] = render(misconception.correction, prefix=f"misconception-{number}-")
    return sections


def apply_links(values: dict, glossary: Glossary) -> set[int]:
    """Fill a published row's HTML fields from its unlinked sections, cross-linked; return the ids linked to."""
    own_id = values["term_id"]
    targets: set[int] = set()

    def linked(key: str) -> str:
        result = link(values["unlinked"].get(key, ""), glossary, own_id=own_id, prefix=f"{key}-")
        targets.update(result.targets)
        return result.html

    for key in SECTIONS:
        values[f"{key}_html"] = linked(key)
    values["examples"] = [{**e, "html": linked(f"example-{n}")} for n, e in enumerate(values["examples"], 1)]
    values["misconceptions"] = [
        {**m, "html": linked(f"misconception-{n}")} for n, m in enumerate(values["misconceptions"], 1)
    ]
    return targets


def mentioning(term_ids: list[int], names: list[str]) -> set[int]:
    """Published pages that link to these terms, or whose text may mention one of the names."""
    pages = set(PublishedMention.objects.filter(target_id__in=term_ids).values_list("source_id", flat=True))
    return pages | search_index().mentioning(names)


def relink(term_ids, *, glossary: Glossary | None = None, batch: int = 200, pool=None) -> int:
    """Cross-link these published pages again from their stored sections; missing ones are skipped.

    Their names are looked up batch by batch, unless `glossary` (every name) is given.
    With a `pool` of forked processes that inherited `glossary` (see `relink_all`), the
    linking runs there while this process reads the next batch and writes the last one.
    """
    term_ids = sorted(set(term_ids))
    fields = ["term_id", "unlinked", "examples", "misconceptions"]
    pending = None
    for start in range(0, len(term_ids), batch):
        rows = list(PublishedTerm.objects.filter(pk__in=term_ids[start : start + batch]).values(*fields))
        if pool is not None:
            linked = pool.map_async(_linked_with_shared_glossary, rows, chunksize=max(1, len(rows) // 8))
        else:
            names = (
                glossary
                if glossary is not None
                else published_glossary(text for row in rows for text in row["unlinked"].values())
            )
            linked = [(row, apply_links(row, names)) for row in rows]
        if pending is not None:
            _write_links(pending if isinstance(pending, list) else pending.get())
        pending = linked
    if pending is not None:
        _write_links(pending if isinstance(pending, list) else pending.get())
    return len(term_ids)


def _write_links(linked: list[tuple[dict, set[int]]]) -> None:
    """Store linked pages' HTML and replace their mentions."""
    written = [*(f"{key}_html" for key in SECTIONS), "examples", "misconceptions"]
    connection = connections[router.db_for_write(PublishedTerm)]
    fields = [PublishedTerm._meta.get_field(name) for name in written]
    assignments = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in fields)
    updates = [
        [field.get_db_prep_save(row[field.name], connection) for field in fields] + [row["term_id"]]
        for row, _ in linked
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {PublishedTerm._meta.db_table} SET {assignments} WHERE term_id = %s", updates)
    PublishedMention.objects.filter(source_id__in=[row["term_id"] for row, _ in linked]).delete()
    insert(PublishedMention(source_id=row["term_id"], target_id=pk) for row, targets in linked for pk in targets)


# The whole glossary, for processes forked by `relink_all` to inherit rather than receive.
_shared_glossary: Glossary | None = None


def _linked_with_shared_glossary(row: dict) -> tuple[dict, set[int]]:
    return row, apply_links(row, _shared_glossary)


def complete_deferred(workers: int = 0) -> int:
    """Finish bulk publishes made with `deferred=True`: every page's "Related terms", "People also
    read" and cross-links."""
    refresh_all_related()
    also_read.refresh_all()
    return relink_all(workers=workers)


def relink_all(batch: int = 500, workers: int = 0) -> int:
    """Cross-link every published page again, with every published name read once.

    `workers` forked processes link while this one reads and writes (where fork exists).
    """
    global _shared_glossary
    glossary = whole_published_glossary()
    ids = PublishedTerm.objects.values_list("pk", flat=True)
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return relink(ids, glossary=glossary, batch=batch)
    _shared_glossary = glossary
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return relink(ids, glossary=glossary, batch=batch, pool=pool)
    finally:
        _shared_glossary = None


def rebuild_names() -> int:
    """Write every published term's `PublishedName` rows again, from its name and aliases."""
    PublishedName.objects.all().delete()
    terms = PublishedTerm.objects.order_by("pk").values_list("pk", "name", "aliases")
    return insert(row for pk, name, aliases in terms.iterator() for row in name_rows(pk, [name, *aliases]))


def rebuild_tag_rows() -> int:
    """Write every published term's `PublishedTermTag` rows again, from the tags on its row."""
    PublishedTermTag.objects.all().delete()
    terms = PublishedTerm.objects.order_by("pk").values_list(
        "pk", "tags", "sort_name", "slug", "name", "short_definition", "letter"
    )
    return insert(
        PublishedTermTag(
            term_id=pk,
            name=tag["name"],
            slug=tag["slug"],
            sort_name=sort_name,
            term_slug=slug,
            term_name=name,
            short_definition=short_definition,
            letter=letter,
        )
        for pk, tags, sort_name, slug, name, short_definition, letter in terms.iterator()
        for tag in tags
    )


def refresh_all_related(batch: int = 2000) -> None:
    """Recompute the stored "Related terms" of every published term."""
    ids = list(PublishedTerm.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh_related(ids[start : start + batch])


def render_all_again(batch: int = 500) -> int:
    """Render every published term's markdown again from the version readers see; return how many changed.

    A page keeps the HTML it was published with; this brings it to today's rendering (sub-headings,
    images) without publishing anything new. The cross-links are written from it afterwards.
    """
    ids = list(PublishedTerm.objects.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), batch):
        live: dict[int, dict] = {}
        revisions = Revision.objects.filter(term_id__in=ids[start : start + batch], action__in=Revision.LIVE_ACTIONS)
        for term_id, data in revisions.order_by("term_id", "-created_at", "-pk").values_list("term_id", "snapshot"):
            live.setdefault(term_id, data)
        rows = PublishedTerm.objects.filter(pk__in=live).only("pk", "unlinked", "examples", "misconceptions")
        for row in rows:
            data = live[row.pk]
            draft = Draft(
                term=Term(**{key: data.get(key, "") for key in SECTIONS}),
                examples=[Example(body=item.get("body", "")) for item in data.get("examples", [])],
                misconceptions=[
                    Misconception(correction=item.get("correction", "")) for item in data.get("misconceptions", [])
                ],
                relations=[],
                tags=[],
            )
            # A row that does not match its revision (made by hand, or by an old import) keeps its HTML.
            if (len(draft.examples), len(draft.misconceptions)) != (len(row.examples), len(row.misconceptions)):
                continue
            unlinked = rendered_sections(draft)
            if unlinked != row.unlinked:
                PublishedTerm.objects.filter(pk=row.pk).update(unlinked=unlinked)
                changed += 1
    return changed


# What `rebuild_derived` writes again, in order: cross-links read the names and the rendered sections;
# counts and choices, the tag rows.
DERIVED = (
    ("rendered sections", render_all_again),
    ("names", rebuild_names),
    ("tag rows", rebuild_tag_rows),
    ("search index", rebuild_index),
    ("related terms", refresh_all_related),
    ("people also read", also_read.refresh_all),
    ("cross-links", relink_all),
    ("counts", lambda: SiteState.bump(timezone.now())),
)


def rebuild_derived(*, progress: Callable[[str], None] | None = None) -> int:
    """Write again everything publishing derives from the published rows; return how many terms are published.

    The rendered sections (from each term's live revision), names, tag rows, search index, related terms,
    "People also read", cross-links and counts come out as publishing every term would leave them; the page
    cache's generation moves on.
    `progress` is called with each part's name once it is written.
    """
    with transaction.atomic():
        for part, write in DERIVED:
            write()
            if progress is not None:
                progress(part)
        return PublishedTerm.objects.count()


def tag_rows(draft: Draft) -> list[PublishedTermTag]:
    term = draft.term
    listed = {
        "sort_name": term.name.casefold(),
        "term_slug": term.slug,
        "term_name": term.name,
        "short_definition": term.short_definition,
        "letter": initial_letter(term.name),
    }
    return [PublishedTermTag(term_id=term.pk, name=tag.name, slug=tag.slug, **listed) for tag in draft.tags]


def relation_rows(draft: Draft) -> list[PublishedRelation]:
    return [
        PublishedRelation(source_id=draft.term.pk, target_id=r.to_term_id, kind=r.kind, position=r.position)
        for r in draft.relations
    ]


def revision(draft: Draft, *, now, by, message: str, action: str, version: int | None) -> Revision:
    return Revision(
        term_id=draft.term.pk,
        term_name=draft.term.name,
        action=action,
        message=message,
        snapshot=snapshot(draft),
        version=version,
        created_at=now,
        created_by=by,
    )


def unpublish(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> bool:
    """Take the term off every public page at once. Return False if it was not published."""
    with transaction.atomic():
        saved = Term.objects.select_for_update().get(pk=term.pk)
        neighbours = related_ids([saved.pk])
        showing = also_read.listing([saved.pk])
        linking_here = set(PublishedMention.objects.filter(target_id=saved.pk).values_list("source_id", flat=True))
        deleted, _ = PublishedTerm.objects.filter(term=saved).delete()
        if not deleted:
            return False
        # Its aliases are free for other terms to claim; its former addresses would lead nowhere.
        PublishedRedirect.objects.filter(term_id=saved.pk).delete()
        refresh_related(neighbours)
        also_read.refresh(neighbours | showing)
        relink(linking_here - {saved.pk})
        unindex_terms([saved.pk])
        Term.objects.filter(pk=saved.pk).update(status=Term.Status.DRAFT)
        now = timezone.now()
        Revision.objects.create(
            term=saved,
            term_name=saved.name,
            action=Revision.Action.UNPUBLISH,
            message=message,
            snapshot={},
            created_at=now,
            created_by=by,
        )
        SiteState.bump(now)
    term.status = Term.Status.DRAFT
    logger.info("Unpublished %s (%s) by %s", saved.name, saved.slug, by or "the system")
    return True


def delete_term(term: Term, *, by: AbstractBaseUser | None) -> None:
    """Delete a term from the workspace, taking it off the site first if it is published.

    Its content, parts, tags and the relations other terms had to it are kept in a
    revision, from which the admin can recover it.
    """
    with transaction.atomic():
        unpublish(term, by=by, message="Deleted")
        saved = Term.objects.select_for_update().get(pk=term.pk)
        Revision.objects.create(
            term_id=saved.pk,
            term_name=saved.name,
            action=Revision.Action.DELETE,
            snapshot=deletion_snapshot(saved),
            version=saved.version,
            created_at=timezone.now(),
            created_by=by,
        )
        PublishedRedirect.objects.filter(term_id=saved.pk).delete()
        saved.delete()
    logger.info("Deleted %s (%s) by %s", term.name, term.slug, by or "the system")


def validate_for_publishing(draft: Draft, *, with_database_checks: bool = True) -> None:
    """Raise ValidationError if the term or any of its parts breaks a rule."""
    term = draft.term
    checks = {"validate_unique": with_database_checks, "validate_constraints": with_database_checks}
    # Without database checks, foreign keys are left to the database's own constraints too:
    # checking each one is a query per key.
    term.full_clean(exclude=None if with_database_checks else {"created_by", "updated_by"}, **checks)
    child_exclude = None if with_database_checks else {"term", "from_term", "to_term"}
    for child in [*draft.examples, *draft.misconceptions, *draft.relations]:
        try:
            child.full_clean(exclude=child_exclude, **checks)
        except ValidationError as error:
            raise ValidationError(
                f"{type(child)._meta.verbose_name.capitalize()} “{child}”: {error.messages[0]}"
            ) from error
    if not with_database_checks:
        return
    clash = PublishedTerm.objects.filter(slug=term.slug).exclude(term=term).first()
    if clash is not None:
        raise ValidationError(
            f"The address /terms/{term.slug}/ is still used by the published term “{clash.name}”. "
            "Change this term's slug, or republish that term under its new slug first."
        )
    refuse_taken_aliases([draft])


def initial_letter(name: str) -> str:
    """The A–Z index letter a name files under; "#" for digits and other scripts."""
    first = unicodedata.normalize("NFKD", name.strip()[:1]).upper()[:1]
    return first if "A" <= first <= "Z" else "#"
