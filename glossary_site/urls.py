from django.contrib import admin
from django.urls import include, path

from terms.editor_views import markdown_preview

admin.site.site_header = "Glossary editorial"
admin.site.site_title = "Glossary editorial"
admin.site.index_title = "Curate the glossary"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Replaces django-markdownx's own endpoints: the preview needs an editor and
    # goes through our sanitiser; image upload is not offered at all.
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    path("", include("terms.urls")),
]
