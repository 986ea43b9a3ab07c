"""The admin home's workspace: each person's lists of terms, and the counts in the admin's header.

Every list is read in one query (the review queue in two: single terms, and imports), its first rows and
its exact length together (a window count over the whole list), so the home page runs the same number of
queries whatever the size of the glossary.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models.changesets import ChangeSet, ChangeSetTerm
from .models.editorial import PUBLISH_PERMISSION, Term
from .models.history import ReviewNote
from .models.published import PublishedTerm
from .models.workspace import Notification, ScheduledPublication

# How many rows each list of the home page shows; "See all" leads to the rest.
LIST_LENGTH = 10
NOTIFICATIONS_SHOWN = 5


@dataclass
class Section:
    """The first rows of a list, and how many rows the whole list has."""

    rows: list = field(default_factory=list)
    count: int = 0

    @property
    def hidden(self) -> int:
        """How many rows the list has beyond those shown."""
        return self.count - len(self.rows)

    @property
    def more(self) -> bool:
        return self.hidden > 0


def first_rows(queryset: QuerySet, length: int = LIST_LENGTH) -> Section:
    """The first `length` rows of a list and its exact length, in one query."""
    rows = list(queryset.annotate(list_length=Window(Count("pk")))[:length])
    return Section(rows, rows[0].list_length if rows else 0)


def authored_by(user: AbstractBaseUser) -> Q:
    """The terms whose author is `user`: who submitted them, or who created them if nobody has."""
    return Q(submitted_by=user) | Q(submitted_by__isnull=True, created_by=user)


def my_drafts(user: AbstractBaseUser) -> Section:
    """Drafts the person created or saved last, the latest saved first."""
    drafts = Term.objects.filter(Q(created_by=user) | Q(updated_by=user), status=Term.Status.DRAFT)
    return first_rows(
        drafts.select_related("updated_by").only("name", "updated_at", "updated_by__username").order_by("-updated_at")
    )


def sent_back_to(user: AbstractBaseUser) -> Section:
    """The person's terms sent back with changes requested, each with the reviewer's latest comment, newest first."""
    notes = ReviewNote.objects.filter(term=OuterRef("pk"), action=ReviewNote.Action.CHANGES_REQUESTED).order_by(
        "-created_at", "-pk"
    )
    terms = (
        Term.objects.filter(authored_by(user), status=Term.Status.CHANGES_REQUESTED)
        .annotate(
            comment=Subquery(notes.values("comment")[:1]),
            sent_back_at=Subquery(notes.values("created_at")[:1]),
            sent_back_by=Subquery(notes.values("created_by__username")[:1]),
        )
        .only("name")
        .order_by("-sent_back_at", "-pk")
    )
    return first_rows(terms)


def in_open_import() -> Exists:
    """Whether a term is part of an import awaiting review: it is reviewed there, with the import's other terms."""
    return Exists(ChangeSetTerm.objects.filter(term=OuterRef("pk"), change_set__status=ChangeSet.Status.OPEN))


def open_imports() -> QuerySet:
    """Imports awaiting review, the longest waiting first, with who imported them and how many terms each holds."""
    return (
        ChangeSet.objects.filter(status=ChangeSet.Status.OPEN)
        .select_related("created_by")
        .annotate(term_count=F("created") + F("updated"))
        .order_by("created_at", "pk")
    )


def waiting_for_review() -> Section:
    """Terms in review, the longest waiting first, with who submitted them; an open import is one row for its terms."""
    waiting = Term.objects.filter(status=Term.Status.IN_REVIEW).exclude(in_open_import()).select_related("submitted_by")
    terms = first_rows(waiting.only("name", "submitted_at", "submitted_by__username").order_by("submitted_at", "pk"))
    imports = first_rows(open_imports())
    # Both lists are oldest first: their first rows hold the oldest of all.
    rows = sorted([*terms.rows, *imports.rows], key=waiting_since)[:LIST_LENGTH]
    return Section(rows, terms.count + imports.count)


def waiting_since(row: Term | ChangeSet):
    """When a row of the review queue started waiting: a term's submission, an import's upload."""
    since = row.created_at if isinstance(row, ChangeSet) else row.submitted_at
    # A term in review from before submissions were dated waits longest.
    return (since is not None, since)


def recently_published() -> Section:
    """Live terms, the most recently published first."""
    live = PublishedTerm.objects.select_related("published_by")
    return first_rows(live.only("name", "published_at", "published_by__username").order_by("-published_at"))


def scheduled() -> Section:
    """Approved versions waiting for their time to go live, the soonest first."""
    rows = ScheduledPublication.objects.select_related("term", "scheduled_by")
    return first_rows(rows.only("publish_at", "term__name", "scheduled_by__username").order_by("publish_at", "pk"))


def overdue_reviews() -> Section:
    """Live terms past their "review by" date, the longest overdue first, with their owner."""
    overdue = Term.objects.filter(
        Exists(PublishedTerm.objects.filter(pk=OuterRef("pk"))), review_by__lt=timezone.localdate()
    ).select_related("owner", "owner_group")
    return first_rows(
        overdue.only("name", "review_by", "owner__username", "owner_group__name").order_by("review_by", "pk")
    )


def unread_notifications(user: AbstractBaseUser) -> Section:
    """The person's unread notifications, newest first."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).select_related("actor")
    return first_rows(unread, NOTIFICATIONS_SHOWN)


def home(user: AbstractBaseUser) -> dict:
    """Everything the admin home lists for this person: the editor's lists, and the reviewer's if they review."""
    reviews = user.has_perm(PUBLISH_PERMISSION)
    return {
        "reviews": reviews,
        "notifications": unread_notifications(user),
        "my_drafts": my_drafts(user),
        "sent_back": sent_back_to(user),
        "waiting": waiting_for_review(),
        "recently_published": recently_published(),
        "scheduled": scheduled() if reviews else None,
        "overdue": overdue_reviews() if reviews else None,
    }


def count_of(queryset: QuerySet) -> Subquery:
    """How many rows `queryset` has, as an expression another query can select (0 for none)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def header_counts(user: AbstractBaseUser) -> dict[str, int | None]:
    """The person's unread notifications, and the terms awaiting review if they review (else None), in one query."""
    counts = {"unread": count_of(Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True))}
    reviews = user.has_perm(PUBLISH_PERMISSION)
    if reviews:
        # An import awaiting review counts once, whatever the number of its terms.
        single = Term.objects.filter(status=Term.Status.IN_REVIEW).exclude(in_open_import())
        counts["awaiting"] = count_of(single) + count_of(ChangeSet.objects.filter(status=ChangeSet.Status.OPEN))
    row = get_user_model().objects.filter(pk=user.pk).values(**counts).first() or {}
    return {"unread": row.get("unread", 0), "awaiting": row.get("awaiting", 0) if reviews else None}
