from django.urls import path

from . import views

app_name = "terms"

urlpatterns = [
    path("", views.home, name="home"),
    path("terms/", views.term_index, name="index"),
    path("terms/<slug:slug>/", views.term_detail, name="detail"),
    path("tags/", views.tag_list, name="tag-list"),
    # Tag slugs may be non-Latin ("日本語"), so they are not limited to ASCII.
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("search/", views.search, name="search"),
    path("search/suggest", views.suggest, name="suggest"),
    # Where MEDIA_URL says images are (rendering.own_image): the address in editors' markdown, whatever the storage.
    path("media/images/<str:name>", views.image, name="image"),
]
