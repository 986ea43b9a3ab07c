from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from terms.editor_views import markdown_preview, markdown_upload
from terms.health import healthz, livez

handler403 = "terms.editor_views.permission_denied"
handler404 = "terms.editor_views.page_not_found"
handler500 = "terms.views.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # Replace django-markdownx's own endpoints, which are open to anyone: the preview needs an
    # editor and goes through the publishing pipeline; image upload is not offered at all.
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", markdown_upload, name="markdownx_upload"),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("api/", include("terms.api")),
    path("", include("terms.urls")),
]
