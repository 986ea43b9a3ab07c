"""Renaming a tag and merging tags: the working copies' tags and the published pages' at once.

Like the verbs of `terms.publishing`, each runs in one transaction and writes the published
layer's tag rows itself, so live pages show the new tag without being published again; the
page cache's generation moves on. Each change is recorded (`TagChange`), and each term it
moved gets a revision saying so. Reviewers only: it changes what readers see.
"""

from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import also_read, bulk
from .identity import identity_key, normalise_name
from .models.editorial import Term
from .models.history import Revision
from .models.published import PublishedTagRedirect, PublishedTerm, PublishedTermTag, SiteState
from .models.tags import TAG_NAME_MAX_LENGTH, Tag, TaggedTerm
from .models.workspace import TagChange
from .workflow import Draft, next_revision_numbers, snapshot

LISTED = ("sort_name", "slug", "title", "short_definition", "letter")


def rename_tag(tag: Tag, new_name: str, *, by: AbstractBaseUser | None) -> TagChange:
    """Give a tag a new name (and the slug that follows from it) on every term and published page.

    Raises ValidationError, changing nothing, if the name is empty, too long or another tag's.
    """
    name = normalise_name(new_name)
    if not name:
        raise ValidationError("Type the tag's new name.")
    if len(name) > TAG_NAME_MAX_LENGTH:
        raise ValidationError(f"A tag must be at most {TAG_NAME_MAX_LENGTH} characters; “{name[:30]}…” is {len(name)}.")
    with transaction.atomic():
        tag = Tag.objects.select_for_update().get(pk=tag.pk)
        if name == tag.name:
            raise ValidationError(f"The tag is already called “{name}”.")
        other = Tag.objects.filter(name_key=identity_key(name)).exclude(pk=tag.pk).first()
        if other is not None:
            raise ValidationError(
                f"There is already a tag “{other.name}”. To make one tag of the two, merge “{tag.name}” into it."
            )
        old_name, old_slug = tag.name, tag.slug
        tag.name, tag.name_key, tag.slug = name, identity_key(name), free_slug(tag, name)
        tag.full_clean()
        tag.save()
        term_ids = tagged_term_ids([tag])
        change = TagChange.objects.create(
            action=TagChange.Action.RENAME,
            old_names=old_name,
            new_name=name,
            terms_changed=len(term_ids),
            created_by=by,
        )
        moved = {old_slug: {"name": name, "slug": tag.slug}}
        write_published_tags(term_ids, moved)
        lead_addresses(moved)
        record_in_histories(term_ids, f"Tag “{old_name}” renamed “{name}”.", {old_name: name}, by=by)
        SiteState.bump(timezone.now())
    return change


def merge_tags(tags: list[Tag], into: Tag, *, by: AbstractBaseUser | None) -> TagChange:
    """Move every term of `tags` to `into`, on working copies and published pages, and delete those tags.

    Raises ValidationError, changing nothing, if no tag is to be merged or `into` is one of them.
    """
    merged = [tag for tag in tags if tag.pk != into.pk]
    if len(merged) < len(tags):
        raise ValidationError(f"“{into.name}” cannot be merged into itself: choose another tag to keep.")
    if not merged:
        raise ValidationError("Select the tags to merge.")
    with transaction.atomic():
        locked = list(Tag.objects.select_for_update().filter(pk__in=[into.pk, *(tag.pk for tag in merged)]))
        if len(locked) != len(merged) + 1:
            raise ValidationError("A tag was deleted or merged by someone else meanwhile; nothing was changed.")
        term_ids = tagged_term_ids(merged)
        has_kept = set(TaggedTerm.objects.filter(tag=into).values_list("content_object_id", flat=True))
        TaggedTerm.objects.bulk_create(
            TaggedTerm(content_object_id=term_id, tag=into) for term_id in sorted(set(term_ids) - has_kept)
        )
        names = sorted((tag.name for tag in merged), key=str.casefold)
        change = TagChange.objects.create(
            action=TagChange.Action.MERGE,
            old_names="\n".join(names),
            new_name=into.name,
            terms_changed=len(term_ids),
            created_by=by,
        )
        moved = {tag.slug: {"name": into.name, "slug": into.slug} for tag in merged}
        Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()
        live = write_published_tags(term_ids, moved)
        lead_addresses(moved)
        also_read.refresh(live)
        quoted = ", ".join(f"“{name}”" for name in names)
        record_in_histories(
            term_ids, f"Tag {quoted} merged into “{into.name}”.", dict.fromkeys(names, into.name), by=by
        )
        SiteState.bump(timezone.now())
    return change


def free_slug(tag: Tag, name: str) -> str:
    """The slug a tag of this name gets: its own, or with "-2", "-3"... if another tag has it."""
    base = tag.slugify(name)
    taken = set(Tag.objects.exclude(pk=tag.pk).filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= set(
        PublishedTermTag.objects.filter(slug__startswith=base).exclude(slug=tag.slug).values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = tag.slugify(name, number)
    return slug


def tagged_term_ids(tags: list[Tag]) -> list[int]:
    rows = TaggedTerm.objects.filter(tag__in=tags).order_by("content_object_id")
    return list(dict.fromkeys(rows.values_list("content_object_id", flat=True)))


def write_published_tags(term_ids: list[int], moved: dict[str, dict]) -> list[int]:
    """Give these terms' published pages the tags `moved` (old slug → new name and slug) leads to; return their ids."""
    pages = PublishedTerm.objects.filter(pk__in=term_ids).only("pk", "tags", *LISTED)
    values, rows = {}, []
    for page in pages:
        tags = list({tag["slug"]: tag for tag in (moved.get(tag["slug"], tag) for tag in page.tags)}.values())
        tags.sort(key=lambda tag: tag["name"].casefold())
        values[page.pk] = {"tags": tags}
        listed = {
            "sort_name": page.sort_name,
            "term_slug": page.slug,
            "term_name": page.title,
            "short_definition": page.short_definition,
            "letter": page.letter,
        }
        rows += [PublishedTermTag(term_id=page.pk, name=tag["name"], slug=tag["slug"], **listed) for tag in tags]
    bulk.update(PublishedTerm, ["tags"], values)
    PublishedTermTag.objects.filter(term_id__in=list(values)).delete()
    PublishedTermTag.objects.bulk_create(rows)
    return list(values)


def lead_addresses(moved: dict[str, dict]) -> None:
    """Lead the tag pages' former addresses, and those that led to them, to the pages that replace them."""
    for old_slug, new in moved.items():
        if old_slug == new["slug"]:
            continue
        PublishedTagRedirect.objects.filter(target_slug=old_slug).update(target_slug=new["slug"])
        PublishedTagRedirect.objects.update_or_create(slug=old_slug, defaults={"target_slug": new["slug"]})
    # An address that a tag now has again is that tag's page.
    PublishedTagRedirect.objects.filter(slug__in=[new["slug"] for new in moved.values()]).delete()


def record_in_histories(
    term_ids: list[int], message: str, renamed: dict[str, str], *, by: AbstractBaseUser | None
) -> None:
    """Keep the retagged terms in their histories, with a message saying why they changed.

    The working copy gets a saved version. A live page changed too, so its new tags are recorded as
    a live version: comparing with the live page, "nothing to publish" and rolling back then see the
    tags readers see. A term whose working copy is the live page gets that one version only.
    Edit versions move on: a form opened before would put the old tag back.
    """
    now = timezone.now()
    Term.objects.filter(pk__in=term_ids).update(edit_version=F("edit_version") + 1)
    numbers = next_revision_numbers(term_ids)
    live = live_snapshots(term_ids)
    terms = Term.objects.filter(pk__in=term_ids).prefetch_related("examples", "misconceptions", "tags")
    revisions = []
    for term in terms:
        record = partial(Revision, term=term, term_name=term.name, message=message, created_at=now, created_by=by)
        working_copy = snapshot(Draft.load(term))
        if term.status == Term.Status.PUBLISHED and term.pk in live:
            action = Revision.Action.PUBLISH
        else:
            action = Revision.Action.SAVE
            if term.pk in live:
                data = {**live[term.pk], "tags": retagged(live[term.pk].get("tags", []), renamed)}
                revisions.append(record(number=numbers[term.pk], action=Revision.Action.PUBLISH, snapshot=data))
                numbers[term.pk] += 1
        revisions.append(
            record(number=numbers[term.pk], action=action, snapshot=working_copy, edit_version=term.edit_version)
        )
    Revision.objects.bulk_create(revisions)


def live_snapshots(term_ids: list[int]) -> dict[int, dict]:
    """The snapshot of the version readers see, for each of these terms that is live."""
    pages = set(PublishedTerm.objects.filter(pk__in=term_ids).values_list("pk", flat=True))
    revisions = Revision.objects.filter(term_id__in=pages, action__in=Revision.LIVE_ACTIONS)
    found: dict[int, dict] = {}
    for term_id, data in revisions.order_by("term_id", "-created_at", "-pk").values_list("term_id", "snapshot"):
        found.setdefault(term_id, data)
    return found


def retagged(names: list[str], renamed: dict[str, str]) -> list[str]:
    """Tag names with the renamed and merged ones replaced, each once."""
    return list(dict.fromkeys(renamed.get(name, name) for name in names))
