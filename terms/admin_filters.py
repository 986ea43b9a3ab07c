"""What the admin's addresses may ask for: the lists' own filters, and ids and numbers that no row can have."""

import datetime

from django.contrib import admin
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
)
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .admin_review import bad_request
from .dashboard import authored_by
from .forms import whole_number
from .models.editorial import Term
from .models.published import PublishedTerm


class ReviewFilter(admin.SimpleListFilter):
    """Terms by their "review by" date: overdue ones are live and past it."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (("overdue", "Review overdue"), ("unset", "No review date"))

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            live = Exists(PublishedTerm.objects.filter(pk=OuterRef("pk")))
            return queryset.filter(live, review_by__lt=timezone.localdate())
        if self.value() == "unset":
            return queryset.filter(review_by__isnull=True)
        return queryset


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


class NameClashFilter(admin.SimpleListFilter):
    """The terms or tags the upgrade found to be an older one's twin (see migration 0012)."""

    title = "name clashes"
    parameter_name = "clash"

    def lookups(self, request, model_admin):
        return (("yes", "Same name as an older one: rename"),)

    def queryset(self, request, queryset):
        # Only a set-aside key holds a line break.
        return queryset.filter(name_key__contains="\n") if self.value() == "yes" else queryset


class WholeNumberIds:
    """ModelAdmin mixin: an id, or a number in a filter, that no row can have is refused, never a server error.

    Django's admin reads ids and filters from the address as typed; "²" or a 30-digit number reaches
    the database, which cannot hold it.
    """

    def get_object(self, request, object_id, from_field=None):
        if from_field is None and whole_number(object_id) is None:
            return None  # the admin then says that no such row exists
        return super().get_object(request, object_id, from_field)

    def changelist_view(self, request, extra_context=None):
        filters = (value for name, value in request.GET.items() if name not in NOT_FILTERS)
        if any(whole_number(number) is None for number in numbers_in(filters)):
            return bad_request("A filter in this address asks for a number no row can have.")
        return super().changelist_view(request, extra_context)


# The changelist's own parameters: a search for a long number is no filter.
NOT_FILTERS = {SEARCH_VAR, ORDER_VAR, PAGE_VAR, ERROR_FLAG, IS_POPUP_VAR, TO_FIELD_VAR, IS_FACETS_VAR, ALL_VAR}


def numbers_in(values) -> list[str]:
    """The whole numbers among filter values, without their signs (a list filter's values are separated by commas)."""
    return [number for value in values for part in value.split(",") if (number := part.strip().lstrip("-")).isdigit()]


class ReadOnly:
    """ModelAdmin mixin: records that are read, never added, changed or deleted in the admin (history, logs)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
