"""Publishing many terms at once, and writing again everything publishing derives.

For generated data, imports and upgrades: the rows are the ones `terms.publishing` writes
term by term, written in batches. The publishing verbs stay the only door for one term.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from . import also_read, change_notes, keywords
from .admin_search import index_working_copies, rebuild_admin_index
from .bulk import insert
from .enums import ChangeKind
from .images import published_rows
from .linking import Glossary, name_rows
from .mentioned_in import refresh_all_mentioned_in
from .models.editorial import Term
from .models.history import Revision
from .models.published import LISTED, PublishedImage, PublishedName, PublishedTerm, PublishedTermTag, SiteState
from .paths import refresh_all_paths, refresh_paths
from .publishing import (
    Renderer,
    mentioning,
    published_values,
    refresh_related,
    relink,
    relink_all,
    rendered_sections,
    revision,
    validate_for_publishing,
)
from .redirects import claim_aliases, refuse_taken_aliases
from .related import related_ids
from .rendering import render_markdown
from .rows import relation_rows, tag_rows
from .search import index_terms, rebuild_index
from .successors import refresh_successors, write_successors
from .workflow import Draft, next_revision_numbers, snapshot


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
        # New to readers, without a note: "Last updated" says when, and `/changes/` lists them as new.
        told = {"changed_at": now, "change_note": "", "reviewed_at": now}
        published = [
            PublishedTerm(
                **published_values(draft, now=now, by=by, render=render, glossary=unlinked)[0],
                first_published_at=now,
                **told,
            )
            for draft in drafts
        ]
        insert(published)
        insert(
            change_notes.change_row(
                {**told, "term_id": term.pk, "title": term.title, "slug": term.slug}, ChangeKind.NEW
            )
            for term in published
        )
        index_terms(published)
        index_working_copies({draft.term.pk: snapshot(draft) for draft in drafts})
        listed = [term for term in published if term.deprecated_at is None]
        insert(row for term in listed for row in name_rows(term.pk, [term.name, *term.aliases]))
        insert(row for term in published for row in published_rows(term.pk, term.unlinked))
        claim_aliases(drafts)
        insert(row for draft in drafts if not draft.term.deprecated for row in tag_rows(draft))
        insert(row for draft in drafts for row in relation_rows(draft))
        keywords.record(published)
        new_ids = [draft.term.pk for draft in drafts]
        if not deferred:
            refresh_related([*new_ids, *related_ids(new_ids)])
            also_read.after_publish(new_ids)
            relink({*new_ids, *mentioning(new_ids, [name for term in listed for name in [term.name, *term.aliases]])})
            refresh_successors(new_ids)
            refresh_paths(new_ids)
        Term.objects.filter(pk__in=[draft.term.pk for draft in drafts]).update(status=Term.Status.PUBLISHED)
        numbers = next_revision_numbers(new_ids)
        insert(
            revision(
                draft,
                number=numbers[draft.term.pk],
                now=now,
                by=by,
                message=message,
                action=Revision.Action.PUBLISH,
                edit_version=draft.term.edit_version,
            )
            for draft in drafts
        )
        change_notes.extend_review_by(new_ids, now)
        SiteState.bump(now)
    for draft in drafts:
        draft.term.status = Term.Status.PUBLISHED
    return len(drafts)


def complete_deferred(workers: int = 0) -> int:
    """Finish bulk publishes made with `deferred=True`: every page's "Related terms", "People also
    read", cross-links, "Mentioned in" and path from the top of the hierarchy."""
    refresh_all_related()
    refresh_all_successors()
    also_read.refresh_all()
    linked = relink_all(workers=workers)
    refresh_all_mentioned_in()
    refresh_all_paths()
    return linked


def rebuild_names() -> int:
    """Write every published term's `PublishedName` rows again, from its name and aliases."""
    PublishedName.objects.all().delete()
    terms = PublishedTerm.objects.filter(LISTED).order_by("pk").values_list("pk", "name", "aliases")
    return insert(row for pk, name, aliases in terms.iterator() for row in name_rows(pk, [name, *aliases]))


def rebuild_image_rows() -> int:
    """Write every published term's `PublishedImage` rows again, from its rendered sections."""
    PublishedImage.objects.all().delete()
    terms = PublishedTerm.objects.order_by("pk").values_list("pk", "unlinked")
    return insert(row for pk, unlinked in terms.iterator() for row in published_rows(pk, unlinked))


def rebuild_tag_rows() -> int:
    """Write every published term's `PublishedTermTag` rows again, from the tags on its row."""
    PublishedTermTag.objects.all().delete()
    terms = (
        PublishedTerm.objects.filter(LISTED)
        .order_by("pk")
        .values_list("pk", "tags", "sort_name", "slug", "title", "short_definition", "letter")
    )
    return insert(
        PublishedTermTag(
            term_id=pk,
            name=tag["name"],
            slug=tag["slug"],
            sort_name=sort_name,
            term_slug=slug,
            term_name=title,
            short_definition=short_definition,
            letter=letter,
        )
        for pk, tags, sort_name, slug, title, short_definition, letter in terms.iterator()
        for tag in tags
    )


def refresh_all_related(batch: int = 2000) -> None:
    """Recompute the stored "Related terms" of every published term."""
    ids = list(PublishedTerm.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh_related(ids[start : start + batch])


def refresh_all_successors() -> None:
    """Write again the successors every deprecated page shows."""
    write_successors(PublishedTerm.objects.exclude(LISTED))


def render_all_again(batch: int = 500) -> int:
    """Render every published term's markdown again from the version readers see, and keep that markdown; return how many changed.

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
        rows = PublishedTerm.objects.filter(pk__in=live).only(
            "pk", "unlinked", "markdown", "examples", "misconceptions"
        )
        for row in rows:
            draft = Draft.markdown_of(live[row.pk])
            # A row that does not match its revision (made by hand, or by an old import) keeps its HTML.
            if (len(draft.examples), len(draft.misconceptions)) != (len(row.examples), len(row.misconceptions)):
                continue
            values = {"unlinked": rendered_sections(draft), "markdown": draft.markdown()}
            if any(getattr(row, field) != value for field, value in values.items()):
                PublishedTerm.objects.filter(pk=row.pk).update(**values)
                changed += 1
    return changed


# What `rebuild_derived` writes again, in order: cross-links read the names and the rendered sections,
# as the images readers may be served do; counts and choices, the tag rows; choices, the keywords too;
# "Mentioned in", the cross-links.
DERIVED = (
    ("rendered sections", render_all_again),
    ("names", rebuild_names),
    ("images", rebuild_image_rows),
    ("tag rows", rebuild_tag_rows),
    ("search index", rebuild_index),
    ("admin search index", rebuild_admin_index),
    ("related terms", refresh_all_related),
    ("successors of deprecated terms", refresh_all_successors),
    ("keywords", keywords.rebuild_all),
    ("people also read", also_read.refresh_all),
    ("cross-links", relink_all),
    ("mentioned in", refresh_all_mentioned_in),
    ("paths", refresh_all_paths),
    ("change notes", change_notes.rebuild_changes),
    ("counts", lambda: SiteState.bump(timezone.now())),
)


def rebuild_derived(*, progress: Callable[[str], None] | None = None) -> int:
    """Write again everything publishing derives from the published rows; return how many terms are published.

    The rendered sections (from each term's live revision), names, images, tag rows, search index, related terms,
    keywords, "People also read", cross-links, "Mentioned in", paths from the top and counts come out as publishing every term would leave them; the page
    cache's generation moves on. The admin's search index of working copies is written again too.
    `progress` is called with each part's name once it is written.
    """
    with transaction.atomic():
        for part, write in DERIVED:
            write()
            if progress is not None:
                progress(part)
        return PublishedTerm.objects.count()
