from django.urls import path

from . import changes, feeds, sitemaps, views

app_name = "terms"

urlpatterns = [
    path("", views.home, name="home"),
    path("terms/", views.term_index, name="index"),
    # Before the term pages' route, which would take "tree" for a slug.
    path("terms/tree/", views.term_tree, name="tree"),
    path("terms/<slug:slug>/", views.term_detail, name="detail"),
    path("terms/<slug:slug>/changes/", changes.term_changes, name="term-changes"),
    path("changes/", changes.change_list, name="changes"),
    path("changes/feed/", changes.changes_feed, name="changes-feed"),
    path("tags/", views.tag_list, name="tag-list"),
    # Tag slugs may be non-Latin ("日本語"), so they are not limited to ASCII.
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("search/", views.search, name="search"),
    path("search/suggest", views.suggest, name="suggest"),
    # Where MEDIA_URL says images are (rendering.own_image): the address in editors' markdown, whatever the storage.
    path("media/images/<str:name>", views.image, name="image"),
    # For feed readers, search engines and terminology tools (docs/reading.md).
    path("feed/", feeds.feed, name="feed"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("export/skos.ttl", views.skos_turtle, name="skos-turtle"),
    path("export/skos.jsonld", views.skos_jsonld, name="skos-jsonld"),
]
