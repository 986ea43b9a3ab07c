"""The editors' and reviewers' workspace: notifications, preferences, scheduled publishing, tag changes.

Editorial side: reader code never imports this module.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .tags import TAG_NAME_MAX_LENGTH


class Notification(models.Model):
    """Something a person should know about a term: shown in the admin until read, and emailed once."""

    class Event(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"
        IMPORT_SUBMITTED = "import_submitted", "Import submitted for review"
        IMPORT_PUBLISHED = "import_published", "Import published"
        IMPORT_REJECTED = "import_rejected", "Import rejected"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=20, choices=Event.choices)
    # Which event this is (say "submitted:12:340", the review note's id last): one notification per event per person.
    event_key = models.CharField(max_length=100)
    term = models.ForeignKey("terms.Term", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    term_name = models.CharField(max_length=100)
    # An import's notifications are about its change set, not one term.
    change_set = models.ForeignKey(
        "terms.ChangeSet", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=("recipient", "read_at", "-created_at"), name="notification_unread"),)
        constraints = (models.UniqueConstraint(fields=("recipient", "event_key"), name="notification_once_per_event"),)

    def __str__(self):
        return f"{self.get_event_display()}: {self.term_name}"


class EditorPreferences(models.Model):
    """A person's choices about the workspace."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="editor_preferences"
    )
    email_notifications = models.BooleanField(
        "email me about reviews",
        default=True,
        help_text="Terms submitted for review (reviewers), and your terms sent back or published.",
    )

    class Meta:
        verbose_name = "editor preferences"
        verbose_name_plural = "editor preferences"

    def __str__(self):
        return f"Preferences of {self.user}"


class ScheduledPublication(models.Model):
    """A reviewer's approval of one version of a term, to go live at a set time (`manage.py publish_scheduled`)."""

    term = models.OneToOneField("terms.Term", on_delete=models.CASCADE, related_name="scheduled_publication")
    # The working copy's edit version approved: a later save cancels the approval.
    edit_version = models.PositiveIntegerField("version")
    publish_at = models.DateTimeField("publish at", db_index=True)
    message = models.TextField(blank=True)
    # What readers are told when it goes live (`/changes/`), as a publish now would tell them.
    public_note = models.CharField("public change note", max_length=300, blank=True)
    minor = models.BooleanField("minor change", default=False)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("publish_at", "pk")

    def __str__(self):
        return f"{self.term} at {self.publish_at:%Y-%m-%d %H:%M}"


class TagChange(models.Model):
    """A renamed tag, or tags merged into one: who, when, and how many terms it moved."""

    class Action(models.TextChoices):
        RENAME = "rename", "Renamed"
        MERGE = "merge", "Merged"

    action = models.CharField(max_length=10, choices=Action.choices)
    # The names before, one per line (one for a rename, several for a merge), and the name after.
    old_names = models.TextField()
    new_name = models.CharField(max_length=TAG_NAME_MAX_LENGTH)
    terms_changed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.get_action_display()} {', '.join(self.old_names.splitlines())} → {self.new_name}"
