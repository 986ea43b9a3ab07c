"""Images editors add to sections: verified and re-encoded on upload, stored through Django's storage API."""

from django.conf import settings
from django.db import models
from django.utils import timezone

ALT_TEXT_MAX_LENGTH = 300


class Image(models.Model):
    """One uploaded image, as stored (re-encoded, without metadata)."""

    file = models.FileField(upload_to="images/", max_length=200)
    alt_text = models.CharField("alt text", max_length=ALT_TEXT_MAX_LENGTH)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField(help_text="Bytes, as stored.")
    # The stored bytes' SHA-256: the same image uploaded twice is stored once.
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-uploaded_at", "-pk")

    def __str__(self):
        return self.alt_text
