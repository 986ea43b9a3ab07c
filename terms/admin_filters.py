"""The term list's filters that the admin does not make itself: author, unpublished changes, long waits."""

import datetime

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .dashboard import authored_by
from .models.editorial import Term
from .models.published import PublishedTerm


class AuthorFilter(admin.SimpleListFilter):
    """Terms by who created or last edited them; "Created by me" first."""

    title = "author"
    parameter_name = "author"
    # The filter's address when it had one choice: ?mine=yes still means "Created by me".
    FORMER_PARAMETER = "mine"
    FORMER_VALUES = {"yes": "me"}

    def __init__(self, request, params, model, model_admin):
        former = params.pop(self.FORMER_PARAMETER, None)
        if former and former[-1] in self.FORMER_VALUES:
            params.setdefault(self.parameter_name, [self.FORMER_VALUES[former[-1]]])
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        # One query; each person is looked up in the foreign keys' indexes, never by a scan of the terms.
        wrote = Exists(Term.objects.filter(created_by=OuterRef("pk"))) | Exists(
            Term.objects.filter(updated_by=OuterRef("pk"))
        )
        people = get_user_model().objects.filter(wrote).exclude(pk=request.user.pk).order_by("username")
        return (
            ("me", "Created by me"),
            # The admin home's "My drafts" and "Sent back to me" lead here.
            ("edited", "Created or last saved by me"),
            ("submitted", "Submitted by me (or created, if not submitted)"),
            *((str(person.pk), f"Created or last edited by {person}") for person in people),
        )

    def queryset(self, request, queryset):
        mine = {
            "me": Q(created_by=request.user),
            "edited": Q(created_by=request.user) | Q(updated_by=request.user),
            "submitted": authored_by(request.user),
        }.get(self.value())
        if mine is not None:
            return queryset.filter(mine)
        if self.value():
            return queryset.filter(Q(created_by=self.value()) | Q(updated_by=self.value()))
        return queryset


class UnpublishedChangesFilter(admin.SimpleListFilter):
    """Live terms whose working copy has changed since it was published."""

    title = "live page"
    parameter_name = "unpublished"

    def lookups(self, request, model_admin):
        return (("yes", "Has unpublished changes"),)

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return queryset.exclude(status=Term.Status.PUBLISHED).filter(
            Exists(PublishedTerm.objects.filter(pk=OuterRef("pk")))
        )


class WaitingFilter(admin.SimpleListFilter):
    """Terms in review for longer than a week."""

    title = "waiting for review"
    parameter_name = "waiting"
    LONG_WAIT = datetime.timedelta(days=7)

    def lookups(self, request, model_admin):
        return (("week", "Longer than a week"),)

    def queryset(self, request, queryset):
        if self.value() != "week":
            return queryset
        return queryset.filter(status=Term.Status.IN_REVIEW, submitted_at__lt=timezone.now() - self.LONG_WAIT)
