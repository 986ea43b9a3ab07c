"""Applying an import's plan: created and updated terms written as working copies in review, as one change set."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .. import bulk, changesets
from ..admin_search import index_working_copies
from ..exporting import SECTIONS, TEXT_FIELDS, title_of
from ..identity import identity_key, set_aside_key
from ..models.changesets import ChangeSet, ChangeSetTerm
from ..models.editorial import Term
from ..models.history import ReviewNote, Revision
from ..models.names import keyed_lines
from ..models.parts import Example, Misconception
from ..models.relations import Relation
from ..models.tags import Tag, TaggedTerm
from ..workflow import Draft, next_revision_numbers, snapshot
from .planning import Action, Plan, Progress, Row, make_plan, no_progress


@dataclass
class Outcome:
    """What an import did: its plan, and the change set it made."""

    plan: Plan
    change_set: ChangeSet | None  # None when nothing changed: a dry run, errors, or every row unchanged


def import_file(
    data: bytes,
    file_name: str,
    *,
    by: AbstractBaseUser | None,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> Outcome:
    """Plan the file's import and, unless it has errors or this is a dry run, apply it: all or nothing."""
    with transaction.atomic():
        plan = make_plan(data, file_name, progress=progress)
        if dry_run or plan.has_errors or not (plan.count(Action.CREATED) or plan.count(Action.UPDATED)):
            return Outcome(plan, None)
        return Outcome(plan, apply(plan, by=by, progress=progress))


def apply(plan: Plan, *, by: AbstractBaseUser | None, progress: Progress = no_progress) -> ChangeSet:
    """Write the plan's created and updated terms as working copies in review, with a revision each, as one change set.

    Call inside a transaction, with a plan made in it and free of errors. Nothing is published.
    """
    now = timezone.now()
    message = f"Imported from {plan.file_name}"
    changed = [row for row in plan.rows if row.action in (Action.CREATED, Action.UPDATED)]
    previous = latest_revisions([row.term_id for row in changed if row.term_id is not None])
    terms = write_terms(changed, previous, by=by, now=now)
    # Relations name their targets by title: "Attention (psychology)" for a homonym.
    ids = {
        identity_key(title_of({"name": name, "qualifier": qualifier})): pk
        for name, qualifier, pk in Term.objects.values_list("name", "qualifier", "pk")
    }
    tags = tags_named({name for row in changed for name in row.record["tags"]})
    drafts = {}
    for row, term in progress(list(zip(changed, terms, strict=True)), len(changed), "Writing"):
        drafts[term.pk] = Draft(
            term=term,
            examples=[Example(term=term, position=n, **e) for n, e in enumerate(row.record["examples"], start=1)],
            misconceptions=[
                Misconception(term=term, position=n, **m) for n, m in enumerate(row.record["misconceptions"], start=1)
            ],
            relations=[
                Relation(
                    from_term=term,
                    to_term=Term(pk=ids[identity_key(r["term"])], name=r["term"]),
                    kind=r["kind"],
                    position=n,
                )
                for n, r in enumerate(row.record["relations"], start=1)
            ],
            tags=[tags[identity_key(name)] for name in row.record["tags"]],
            replaced_by=[Term(pk=ids[identity_key(name)], name=name) for name in row.record["replaced_by"]],
        )
    write_parts(drafts)
    snapshots = {pk: snapshot(draft) for pk, draft in drafts.items()}
    numbers = next_revision_numbers(drafts)
    revisions = Revision.objects.bulk_create(
        Revision(
            term_id=pk,
            number=numbers[pk],
            term_name=draft.term.name,
            action=Revision.Action.SAVE,
            message=message,
            snapshot=snapshots[pk],
            edit_version=draft.term.edit_version,
            created_at=now,
            created_by=by,
        )
        for pk, draft in drafts.items()
    )
    # The submission each term's history shows; reviewers are told once, about the whole change set.
    ReviewNote.objects.bulk_create(
        ReviewNote(
            term_id=pk,
            action=ReviewNote.Action.SUBMITTED,
            comment=message,
            edit_version=draft.term.edit_version,
            created_at=now,
            created_by=by,
        )
        for pk, draft in drafts.items()
    )
    index_working_copies(snapshots)
    change_set = ChangeSet.objects.create(
        file_name=plan.file_name[:255],
        file_format=plan.file_format,
        created=plan.count(Action.CREATED),
        updated=plan.count(Action.UPDATED),
        unchanged=plan.count(Action.UNCHANGED),
        created_at=now,
        created_by=by,
    )
    ChangeSetTerm.objects.bulk_create(
        ChangeSetTerm(
            change_set=change_set,
            term=term,
            term_name=term.name,
            action=row.action,
            line=row.line,
            edit_version=term.edit_version,
            revision=revision,
            previous_revision_id=previous.get(term.pk),
        )
        for row, term, revision in zip(changed, terms, revisions, strict=True)
    )
    # Reviewers are told once about the whole import, never once per term.
    changesets.opened(change_set)
    return change_set


def latest_revisions(term_ids: list[int]) -> dict[int, int]:
    """Each term's latest revision (as `workflow.latest_revision` finds it): term id → revision id."""
    latest = {}
    for chunk in chunks(term_ids):
        revisions = (
            Revision.objects.filter(term_id__in=chunk)
            .exclude(action=Revision.Action.UNPUBLISH)
            .values_list("term_id", "pk")
        )
        for term_id, pk in revisions:  # newest first: Revision's ordering
            latest.setdefault(term_id, pk)
    return latest


def chunks(ids: list[int], size: int = 5_000) -> Iterable[list[int]]:
    """The ids in slices a query's IN list can hold on every database."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def write_terms(rows: list[Row], previous: dict, *, by, now) -> list[Term]:
    """Create and update the rows' terms (their own fields), in review; return them in the rows' order."""
    stored = {}
    for chunk in chunks([row.term_id for row in rows if row.term_id is not None]):
        stored.update(Term.objects.in_bulk(chunk))
    review = {"status": Term.Status.IN_REVIEW, "submitted_at": now, "submitted_by": by, "updated_at": now}
    moved_from = {pk: (term.slug, term.name_key) for pk, term in stored.items()}
    terms, new = [], []
    for row in rows:
        fields = {key: row.record[key] for key in (*TEXT_FIELDS, *SECTIONS, "deprecated", "deprecation_reason")}
        fields["aliases"] = "\n".join(row.record["aliases"])
        if row.term_id is None:
            term = Term(**fields, **review, updated_by=by, created_at=now, created_by=by)
            new.append(term)
        else:
            term = stored[row.term_id]
            # As `workflow.record_save` counts: a term with a history gets a new edit version.
            edit_version = term.edit_version + 1 if row.term_id in previous else term.edit_version
            for key, value in {**fields, **review, "updated_by": by, "edit_version": edit_version}.items():
                setattr(term, key, value)
        terms.append(term)
    new_ones = {id(term) for term in new}
    updated = [term for term in terms if id(term) not in new_ones]
    # Terms may swap names or slugs: free each one a term leaves before any term takes it.
    bulk.update(
        Term,
        ["slug", "name_key"],
        {
            term.pk: {"slug": f"~{term.pk}", "name_key": set_aside_key(identity_key(term.name), term.pk)}
            for term in updated
            if (term.slug, identity_key(term.name)) != moved_from[term.pk]
        },
    )
    names = [*fields, "status", "submitted_at", "submitted_by", "updated_at", "updated_by", "edit_version"]
    attnames = {name: Term._meta.get_field(name).attname for name in names}
    bulk.update(
        Term,
        [*names, "name_key", "alias_keys"],
        {
            term.pk: {
                **{name: getattr(term, attname) for name, attname in attnames.items()},
                "name_key": identity_key(term.name),
                "alias_keys": keyed_lines(identity_key(alias) for alias in term.alias_list),
            }
            for term in updated
        },
    )
    Term.objects.bulk_create(new)
    return terms


def tags_named(names: Iterable[str]) -> dict[str, Tag]:
    """The tags of these names by identity key (found as `KeyedTags` finds them), created where none exists yet."""
    wanted = {identity_key(name): name for name in names}
    found = {}
    for chunk in chunks(list(wanted)):
        found.update({tag.name_key: tag for tag in Tag.objects.filter(name_key__in=chunk)})
    for key, name in wanted.items():
        if key not in found:
            found[key] = Tag.objects.create(name=name)  # taggit's save gives it a unique slug
    return found


def write_parts(drafts: dict[int, Draft]) -> None:
    """Replace the terms' examples, misconceptions, relations, tags and replacing terms with the drafts'."""
    replacing = Term.replaced_by.through
    for chunk in chunks(list(drafts)):
        replacing.objects.filter(from_term_id__in=chunk).delete()
        Example.objects.filter(term_id__in=chunk).delete()
        Misconception.objects.filter(term_id__in=chunk).delete()
        Relation.objects.filter(from_term_id__in=chunk).delete()
        TaggedTerm.objects.filter(content_object_id__in=chunk).delete()
    bulk.insert(example for draft in drafts.values() for example in draft.examples)
    bulk.insert(item for draft in drafts.values() for item in draft.misconceptions)
    bulk.insert(relation for draft in drafts.values() for relation in draft.relations)
    bulk.insert(TaggedTerm(content_object_id=pk, tag=tag) for pk, draft in drafts.items() for tag in draft.tags)
    bulk.insert(
        replacing(from_term_id=pk, to_term_id=other.pk) for pk, draft in drafts.items() for other in draft.replaced_by
    )
