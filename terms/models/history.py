"""The history of terms: every save, publish, rollback, unpublishing and deletion, and each step of review.

Editorial side: revisions hold drafts and deleted terms, so reader code never imports this module.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Revision(models.Model):
    """An immutable record of one publish or unpublish: who, when, what, why."""

    class Action(models.TextChoices):
        SAVE = "save", "Saved"
        PUBLISH = "publish", "Published"
        ROLLBACK = "rollback", "Rolled back"
        UNPUBLISH = "unpublish", "Unpublished"
        DELETE = "delete", "Deleted"

    # What readers saw after these: the live versions of the term, which can be compared and rolled back to.
    LIVE_ACTIONS = (Action.PUBLISH, Action.ROLLBACK)

    # Keeps the term's id when the term is deleted: recovering it under the same id brings its history back.
    term = models.ForeignKey(
        "terms.Term",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="revisions",
    )
    term_name = models.CharField(max_length=100)
    # Its place in the term's history: 1, 2, 3... (None only for the oldest records, kept without a term).
    number = models.PositiveIntegerField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    message = models.TextField(blank=True)
    # What readers are told changed (`/changes/`, "Last updated"): publishes that are not minor have one.
    public_note = models.CharField("public change note", max_length=300, blank=True)
    minor = models.BooleanField("minor change", default=False)
    # The editorial content as it was: fields, examples, misconceptions, relations, tags.
    snapshot = models.JSONField(default=dict)
    # The working copy's edit version this snapshot is of (saves and deletions); the admin calls it "version".
    edit_version = models.PositiveIntegerField("version", null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=("term", "action", "-created_at"), name="revision_term_action"),)
        constraints = (models.UniqueConstraint(fields=("term", "number"), name="revision_unique_number"),)

    def __str__(self):
        return f"{self.term_name}: {self.get_action_display().lower()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_live_version(self) -> bool:
        return self.action in self.LIVE_ACTIONS


class ReviewNote(models.Model):
    """A step of the review of a term: submitted, or sent back with the reviewer's comment."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"
        REVIEWED = "reviewed", "Marked as reviewed"

    term = models.ForeignKey("terms.Term", on_delete=models.CASCADE, related_name="review_notes")
    action = models.CharField(max_length=20, choices=Action.choices)
    comment = models.TextField(blank=True)
    # The working copy's edit version this step was about: a reviewer's next review shows what changed since.
    edit_version = models.PositiveIntegerField("version", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.get_action_display()}: {self.term}"
