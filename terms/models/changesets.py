"""Imports as reviewers see them: each import is one change set, reviewed and published (or rejected) as a whole.

Editorial side: reader code never imports this module.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ChangeSet(models.Model):
    """The terms one import created or changed, waiting for a reviewer's decision on all of them together."""

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting review"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"

    file_name = models.CharField(max_length=255)
    # "csv", "json" or "skos": the format the file was read as.
    file_format = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created = models.PositiveIntegerField("terms created", default=0)
    updated = models.PositiveIntegerField("terms updated", default=0)
    unchanged = models.PositiveIntegerField("terms unchanged", default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The reviewer's reason when rejecting, or their message when publishing.
    comment = models.TextField(blank=True)

    class Meta:
        # Editors and reviewers know it as an import; "change set" is what it is to the code.
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=("status", "created_at"), name="changeset_status_created"),)

    def __str__(self):
        return f"Import of {self.file_name}"


class ChangeSetTerm(models.Model):
    """One term an import created or updated (unchanged rows are counted, not kept)."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"

    change_set = models.ForeignKey(ChangeSet, on_delete=models.CASCADE, related_name="entries")
    # Kept when the term is deleted (a rejected import deletes the terms it created): the name stays readable.
    term = models.ForeignKey("terms.Term", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    term_name = models.CharField(max_length=100)
    action = models.CharField(max_length=10, choices=Action.choices)
    # The file's line (CSV), entry (JSON) or concept (SKOS) it came from, as the preview named it.
    line = models.PositiveIntegerField()
    # The working copy's edit version the import left: publishing the set publishes only terms still at it.
    edit_version = models.PositiveIntegerField()
    # The revision the import recorded, and the one before it (the working copy a rejection puts back).
    revision = models.ForeignKey("terms.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    previous_revision = models.ForeignKey(
        "terms.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("change_set", "line")
        constraints = (models.UniqueConstraint(fields=("change_set", "term"), name="changesetterm_once_per_set"),)
        indexes = (models.Index(fields=("term",), name="changesetterm_term"),)

    def __str__(self):
        return f"{self.get_action_display()}: {self.term_name}"
