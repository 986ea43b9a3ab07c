"""The glossary's admin site: the workspace on its home page, counts in its header, and each person's notifications.

Installed by `terms.apps.GlossaryAdminConfig`, so `admin.site` is this site and every ModelAdmin registers on it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST

from . import dashboard
from .models.workspace import EditorPreferences, Notification
from .notifications import term_path

NOTIFICATIONS_PER_PAGE = 50


class EmailSettingsForm(forms.ModelForm):
    class Meta:
        model = EditorPreferences
        fields = ("email_notifications",)


class GlossaryAdminSite(admin.AdminSite):
    site_header = "Glossary editorial"
    site_title = "Glossary editorial"
    index_title = "Your workspace"

    def each_context(self, request):
        context = super().each_context(request)
        if context["has_permission"]:
            user = request.user
            # Read only when a page shows the header (popups do not), in one query.
            context["workspace_counts"] = SimpleLazyObject(lambda: dashboard.header_counts(user))
        return context

    def index(self, request, extra_context=None):
        """The admin home: the person's workspace, with Django's list of models beside it."""
        return super().index(request, {**dashboard.home(request.user), **(extra_context or {})})

    def get_urls(self):
        view = self.admin_view
        return [
            path("notifications/", view(self.notifications_view), name="notifications"),
            path("notifications/read/", view(require_POST(self.mark_all_read_view)), name="notifications_read"),
            path("notifications/<int:pk>/", view(self.open_notification_view), name="notification_open"),
            path(
                "notifications/email/",
                view(require_http_methods(["GET", "POST"])(self.email_settings_view)),
                name="notification_settings",
            ),
            *super().get_urls(),
        ]

    def notifications_view(self, request):
        """The person's own notifications, unread first, newest first within each."""
        mine = Notification.objects.filter(recipient=request.user).select_related("actor")
        unread_first = mine.order_by(F("read_at").desc(nulls_first=True), "-created_at", "-pk")
        page = Paginator(unread_first, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
        unread = mine.filter(read_at__isnull=True).count()
        context = {**self.each_context(request), "title": "Notifications", "page": page, "unread": unread}
        return TemplateResponse(request, "admin/notifications.html", context)

    def open_notification_view(self, request, pk):
        """Mark one of the person's notifications read and go to its term (or back to the list once it is deleted)."""
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        if notification.read_at is None:
            Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        target = term_path(notification)
        if not target:
            messages.info(request, f"“{notification.term_name}” has been deleted since.")
        return HttpResponseRedirect(target or reverse("admin:notifications"))

    def mark_all_read_view(self, request):
        count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
        return HttpResponseRedirect(reverse("admin:notifications"))

    def email_settings_view(self, request):
        """Each person's choice of whether to get notification emails."""
        preferences = EditorPreferences.objects.filter(user=request.user).first() or EditorPreferences(
            user=request.user
        )
        form = EmailSettingsForm(request.POST if request.method == "POST" else None, instance=preferences)
        if request.method == "POST" and form.is_valid():
            form.save()
            choice = "will get" if form.instance.email_notifications else "will not get"
            messages.success(request, f"Saved: you {choice} notification emails.")
            return HttpResponseRedirect(reverse("admin:notification_settings"))
        context = {
            **self.each_context(request),
            "title": "Email settings",
            "form": form,
            "address": request.user.email,
        }
        return TemplateResponse(request, "admin/notification_settings.html", context)
