"""Images editors upload: only real PNG, JPEG, GIF and WebP images are stored, re-encoded without metadata; hostile files change nothing."""

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import FakePayload
from django.urls import reverse
from PIL import Image as Pillow
from PIL import ImageCms
from PIL.PngImagePlugin import PngInfo

from terms.images import MAX_BYTES, MAX_SIDE
from terms.models import Example, Misconception, PublishedTerm, Revision, Term
from terms.models.media import Image
from terms.publishing import delete_term, publish, rollback, unpublish

UPLOAD = "/markdownx/upload/"
FORMATS = [("PNG", "png", "image/png"), ("JPEG", "jpg", "image/jpeg"), ("GIF", "gif", "image/gif")]
FORMATS.append(("WEBP", "webp", "image/webp"))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Images are stored in a folder of the test's own, through the filesystem storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root: Path) -> list[str]:
    return sorted(str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file())


def picture(kind: str = "PNG", size=(40, 30), mode: str = "RGB", color="red", **options) -> bytes:
    """An image file of `kind` as an editor's computer would hold it."""
    output = io.BytesIO()
    Pillow.new(mode, size, color).save(output, format=kind, **options)
    return output.getvalue()


def upload(client, data: bytes, *, name="picture.png", alt_text="A red square", **extra):
    fields = {"image": SimpleUploadedFile(name, data, content_type="image/png")}
    if alt_text is not None:
        fields["alt_text"] = alt_text
    return client.post(UPLOAD, fields, **extra)


def stored() -> Pillow.Image:
    """The stored image an upload's answer points at, opened from storage."""
    image = Image.objects.get()
    with image.file.open("rb") as file:
        return Pillow.open(io.BytesIO(file.read()))


def stored_bytes() -> bytes:
    with Image.objects.get().file.open("rb") as file:
        return file.read()


# Accepted images -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "extension", "content_type"), FORMATS)
def test_each_accepted_format_is_stored_in_its_own_format(editor_client, kind, extension, content_type):
    response = upload(editor_client, picture(kind), name=f"picture.{extension}")
    assert (response.status_code, stored().format) == (201, kind)


@pytest.mark.parametrize(("kind", "extension", "content_type"), FORMATS)
def test_each_accepted_format_is_recorded_with_its_content_type(editor_client, kind, extension, content_type):
    upload(editor_client, picture(kind))
    assert Image.objects.get().content_type == content_type


@pytest.mark.parametrize(("kind", "extension", "content_type"), FORMATS)
def test_each_accepted_format_keeps_its_size_in_pixels(editor_client, kind, extension, content_type):
    upload(editor_client, picture(kind, size=(40, 30)))
    image = Image.objects.get()
    assert (image.width, image.height, stored().size) == (40, 30, (40, 30))


def test_an_upload_answers_the_markdown_that_shows_it(editor_client):
    response = upload(editor_client, picture("PNG", size=(40, 30)), alt_text="A red square")
    url = response.json()["url"]
    assert response.json()["image_code"] == f"![A red square]({url})"


def test_a_stored_image_is_named_by_its_content_and_size(editor_client):
    response = upload(editor_client, picture("PNG", size=(40, 30)))
    image = Image.objects.get()
    assert response.json()["url"] == f"/media/images/{image.sha256}-40x30.png"


def test_the_stored_images_hash_is_that_of_its_stored_bytes(editor_client):
    upload(editor_client, picture("PNG"))
    assert Image.objects.get().sha256 == hashlib.sha256(stored_bytes()).hexdigest()


def test_an_image_is_stored_with_who_uploaded_it_and_its_alt_text(editor_client, editor):
    upload(editor_client, picture("PNG"), alt_text="  A red\n square ")
    image = Image.objects.get()
    assert (image.uploaded_by, image.alt_text) == (editor, "A red square")


def test_the_same_image_uploaded_twice_is_stored_once(editor_client, media_root):
    first = upload(editor_client, picture("PNG"), alt_text="First")
    second = upload(editor_client, picture("PNG"), alt_text="Second")
    assert (first.json()["url"], Image.objects.count(), len(stored_files(media_root))) == (second.json()["url"], 1, 1)


def test_alt_text_cannot_close_the_markdown_brackets(editor_client):
    response = upload(editor_client, picture("PNG"), alt_text="A [red] square \\o/")
    assert response.json()["image_code"].startswith(r"![A \[red\] square \\o/](")


def test_jpeg_exif_is_not_stored(editor_client):
    exif = Pillow.Exif()
    exif[0x013B] = "Ada Lovelace"  # Artist
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    upload(editor_client, picture("JPEG", exif=exif.tobytes()))
    assert (dict(stored().getexif()), b"Lovelace" in stored_bytes()) == ({}, False)


def test_a_photo_taken_sideways_is_stored_upright(editor_client):
    exif = Pillow.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    upload(editor_client, picture("JPEG", size=(40, 30), exif=exif.tobytes()))
    assert stored().size == (30, 40)


def test_png_text_chunks_are_not_stored(editor_client):
    text = PngInfo()
    text.add_text("Comment", "taken at 10 Downing Street")
    text.add_itxt("Author", "Ada Lovelace")
    upload(editor_client, picture("PNG", pnginfo=text))
    assert (b"Downing" in stored_bytes(), b"Lovelace" in stored_bytes()) == (False, False)


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_colour_profiles_are_not_stored(editor_client, kind):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload(editor_client, picture(kind, icc_profile=srgb))
    assert "icc_profile" not in stored().info


def test_webp_metadata_is_not_stored(editor_client):
    exif = Pillow.Exif()
    exif[0x013B] = "Ada Lovelace"
    upload(editor_client, picture("WEBP", exif=exif.tobytes(), xmp=b"<x:xmpmeta>Lovelace</x:xmpmeta>"))
    assert b"Lovelace" not in stored_bytes()


def test_a_gif_comment_is_not_stored(editor_client):
    upload(editor_client, picture("GIF", mode="P", comment=b"Ada Lovelace was here"))
    assert b"Lovelace" not in stored_bytes()


def test_transparency_is_kept(editor_client):
    upload(editor_client, picture("PNG", mode="RGBA", color=(255, 0, 0, 0)))
    assert stored().convert("RGBA").getpixel((0, 0))[3] == 0


def animation(kind: str) -> bytes:
    frames = [Pillow.new("RGB", (20, 20), color) for color in ("red", "blue", "green")]
    output = io.BytesIO()
    frames[0].save(output, format=kind, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return output.getvalue()


@pytest.mark.parametrize("kind", ["GIF", "WEBP"])
def test_an_animation_is_stored_as_its_first_frame(editor_client, kind):
    upload(editor_client, animation(kind))
    assert getattr(stored(), "n_frames", 1) == 1


@pytest.mark.parametrize("kind", ["GIF", "WEBP"])
def test_an_animation_keeps_its_first_frames_picture(editor_client, kind):
    upload(editor_client, animation(kind))
    red, green, blue = stored().convert("RGB").getpixel((10, 10))
    assert (red > 200, green < 50, blue < 50) == (True, True, True)


def test_the_editor_is_told_an_animation_became_a_still(editor_client):
    response = upload(editor_client, animation("GIF"))
    assert response.json()["note"] == "It was an animation: its first frame is kept, as pages show stills."


# Hostile and unusable files --------------------------------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG that is nothing but a header claiming `width` × `height` pixels, and one empty chunk of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def gif_with_a_frame_wider_than_its_screen(width: int) -> bytes:
    """A 10 × 10 GIF whose one frame says it is `width` pixels wide."""
    data = bytearray(picture("GIF", size=(10, 10), mode="P"))
    descriptor = data.index(b",")
    data[descriptor + 5 : descriptor + 7] = struct.pack("<H", width)
    return bytes(data)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"

REFUSED = [
    pytest.param(
        SVG,
        "This file is not a PNG, JPEG, GIF or WebP image; other kinds, SVG included, are not accepted.",
        id="svg-renamed-png",
    ),
    pytest.param(
        HTML,
        "This file is not a PNG, JPEG, GIF or WebP image; other kinds, SVG included, are not accepted.",
        id="html-renamed-png",
    ),
    pytest.param(
        picture("BMP"),
        "This file is not a PNG, JPEG, GIF or WebP image; other kinds, SVG included, are not accepted.",
        id="bmp",
    ),
    pytest.param(
        png_header(50_000, 50_000),
        "The image says it is more than 4,000 pixels a side; make it smaller and try again.",
        id="decompression-bomb",
    ),
    pytest.param(
        png_header(4_001, 10),
        "The image is 4,001 × 10 pixels; at most 4,000 pixels a side are accepted. Make it smaller and try again.",
        id="too-wide",
    ),
    pytest.param(
        gif_with_a_frame_wider_than_its_screen(4_500),
        "The image is 4,500 × 10 pixels; at most 4,000 pixels a side are accepted. Make it smaller and try again.",
        id="gif-frame-wider-than-its-screen",
    ),
    pytest.param(
        picture("PNG", size=(200, 200))[:-200],
        "The image could not be read: the file is damaged or incomplete.",
        id="truncated",
    ),
    pytest.param(b"", "The file is empty.", id="empty"),
]


@pytest.mark.parametrize(("data", "message"), REFUSED)
def test_a_hostile_or_unusable_file_is_refused_with_a_clear_message(editor_client, data, message):
    response = upload(editor_client, data)
    assert (response.status_code, response.json()) == (400, {"error": message})


@pytest.mark.parametrize(("data", "message"), REFUSED)
def test_a_hostile_or_unusable_file_stores_nothing(editor_client, media_root, data, message):
    upload(editor_client, data)
    assert (Image.objects.count(), stored_files(media_root)) == (0, [])


def test_the_largest_image_allowed_is_accepted(editor_client):
    assert upload(editor_client, picture("PNG", size=(MAX_SIDE, 1))).status_code == 201


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(editor_client, monkeypatch):
    decoded = []
    monkeypatch.setattr(Pillow.Image, "load", lambda self: decoded.append(self))
    upload(editor_client, png_header(50_000, 50_000))
    assert decoded == []


def twenty_megabytes() -> bytes:
    return picture("PNG", size=(10, 10)) + b"\0" * (20 * 1024 * 1024)


def test_a_20_mb_file_is_refused_with_a_clear_message(editor_client):
    response = upload(editor_client, twenty_megabytes())
    assert (response.status_code, response.json()["error"]) == (
        413,
        "The file is 20.0 MB; an image may be at most 5 MB.",
    )


def test_a_20_mb_file_stores_nothing(editor_client, media_root):
    upload(editor_client, twenty_megabytes())
    assert (Image.objects.count(), stored_files(media_root)) == (0, [])


class CountedPayload(FakePayload):
    """A request body that counts how much of it the site read."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        CountedPayload.read_bytes += len(data)
        return data


def test_a_20_mb_file_is_refused_before_its_body_is_read(editor_client):
    body = b"x" * (20 * 1024 * 1024)
    CountedPayload.read_bytes = 0
    editor_client.generic(
        "POST", UPLOAD, body, content_type="multipart/form-data; boundary=x", **{"wsgi.input": CountedPayload(body)}
    )
    assert CountedPayload.read_bytes == 0


def test_a_file_just_over_5_mb_is_refused(editor_client):
    response = upload(editor_client, picture("PNG") + b"\0" * MAX_BYTES)
    assert (response.status_code, response.json()["error"]) == (
        400,
        "The file is 5.0 MB; an image may be at most 5 MB.",
    )


def jpeg_html_polyglot() -> bytes:
    return picture("JPEG", comment=HTML) + HTML


def test_a_jpeg_html_polyglot_is_stored_as_a_jpeg(editor_client):
    """A JPEG carrying HTML (in a comment and after its end) is accepted: the HTML is not part of the image, and is dropped."""
    response = upload(editor_client, jpeg_html_polyglot(), name="picture.html")
    assert (response.status_code, stored().format) == (201, "JPEG")


def test_a_jpeg_html_polyglot_is_stored_without_its_html(editor_client):
    upload(editor_client, jpeg_html_polyglot())
    assert (b"<script" in stored_bytes(), b"<html" in stored_bytes()) == (False, False)


@pytest.mark.parametrize("alt_text", [None, "", "   \n "])
def test_an_image_without_alt_text_is_refused_with_a_clear_message(editor_client, alt_text):
    response = upload(editor_client, picture("PNG"), alt_text=alt_text)
    assert (response.status_code, response.json()["error"]) == (
        400,
        "Give the image alt text: readers who cannot see the image read it instead.",
    )


def test_an_image_without_alt_text_stores_nothing(editor_client, media_root):
    upload(editor_client, picture("PNG"), alt_text="")
    assert (Image.objects.count(), stored_files(media_root)) == (0, [])


def test_over_long_alt_text_is_refused_with_a_clear_message(editor_client):
    response = upload(editor_client, picture("PNG"), alt_text="x" * 301)
    assert (response.status_code, response.json()["error"]) == (
        400,
        "Alt text may be at most 300 characters; this one has 301.",
    )


def test_a_request_without_a_file_is_refused_with_a_clear_message(editor_client):
    response = editor_client.post(UPLOAD, {"alt_text": "A red square"})
    assert (response.status_code, response.json()["error"]) == (400, "Choose an image file to upload.")


def test_markdownx_own_drop_upload_without_alt_text_is_refused(editor_client):
    """markdownx's editor sends the file alone; the site's editor asks for alt text first."""
    response = editor_client.post(UPLOAD, {"image": SimpleUploadedFile("x.png", picture("PNG"))})
    assert (response.status_code, Image.objects.count()) == (400, 0)


# Who may upload --------------------------------------------------------------------------------------------------------


def test_anonymous_visitors_may_not_upload(client, db, media_root):
    response = upload(client, picture("PNG"))
    assert (response.status_code, Image.objects.count(), stored_files(media_root)) == (403, 0, [])


def test_staff_who_cannot_edit_terms_may_not_upload(client, django_user_model, media_root):
    client.force_login(django_user_model.objects.create_user("stan", password="pw-stan-1234", is_staff=True))
    response = upload(client, picture("PNG"))
    assert (response.status_code, Image.objects.count(), stored_files(media_root)) == (403, 0, [])


def test_reviewers_may_upload(reviewer_client):
    assert upload(reviewer_client, picture("PNG")).status_code == 201


def test_an_upload_without_the_csrf_token_is_refused(editor, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = upload(client, picture("PNG"))
    assert (response.status_code, Image.objects.count()) == (403, 0)


def test_an_upload_with_the_csrf_token_is_accepted(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/admin/terms/term/add/")
    token = client.cookies["csrftoken"].value
    assert upload(client, picture("PNG"), HTTP_X_CSRFTOKEN=token).status_code == 201


# Serving ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def reader(db):
    """A reader's browser, not logged in: `client` is `editor_client`'s, once that is asked for."""
    return Client()


def published_image(editor_client, make_term, data: bytes | None = None) -> str:
    """The address of an uploaded image that a published page shows."""
    url = upload(editor_client, data or picture("PNG")).json()["url"]
    publish(make_term(explanation=f"![A red square]({url})"), by=None)
    return url


@pytest.mark.parametrize(("kind", "extension", "content_type"), FORMATS)
def test_a_stored_image_is_served_as_its_stored_type(reader, editor_client, make_term, kind, extension, content_type):
    url = published_image(editor_client, make_term, picture(kind))
    response = reader.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, content_type)


def test_a_stored_image_is_served_as_stored(reader, editor_client, make_term):
    url = published_image(editor_client, make_term)
    assert b"".join(reader.get(url).streaming_content) == stored_bytes()


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"),
    ],
)
def test_a_stored_image_is_served_with_safe_headers(reader, editor_client, make_term, header, value):
    url = published_image(editor_client, make_term)
    assert reader.get(url)[header] == value


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"),
    ],
)
def test_a_drafts_image_is_served_to_its_editor_with_safe_headers(editor_client, header, value):
    url = upload(editor_client, picture("PNG")).json()["url"]
    assert editor_client.get(url)[header] == value


def test_a_stored_image_is_shown_in_place_never_downloaded_as_something_else(reader, editor_client, make_term):
    url = published_image(editor_client, make_term)
    assert reader.get(url)["Content-Disposition"] == f'inline; filename="{url.rsplit("/", 1)[1]}"'


def test_a_browser_that_has_the_image_is_told_it_has_not_changed(reader, editor_client, make_term):
    url = published_image(editor_client, make_term)
    etag = reader.get(url)["ETag"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/" + "0" * 64 + "-10x10.png",  # the right shape, never stored
        "/media/images/picture.png",
        "/media/images/" + "0" * 64 + "-10x10.svg",
        "/media/images/..%2F..%2Fglossary_site%2Fsettings.py",
        "/media/images/../../glossary_site/settings.py",
        "/media/images/%2e%2e/%2e%2e/manage.py",
        "/media/other.png",
    ],
)
def test_anything_but_a_stored_image_is_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_an_image_never_stored_is_not_found_by_editors(editor_client):
    assert editor_client.get("/media/images/" + "0" * 64 + "-10x10.png").status_code == 404


def test_a_stored_image_whose_file_is_gone_is_not_found(reader, editor_client, make_term, media_root):
    url = published_image(editor_client, make_term)
    for path in media_root.rglob("*.png"):
        path.unlink()
    assert reader.get(url).status_code == 404


def test_serving_a_published_image_reads_one_row(reader, editor_client, make_term, django_assert_num_queries):
    url = published_image(editor_client, make_term)
    with django_assert_num_queries(1):
        assert reader.get(url).status_code == 200


def test_a_head_request_gets_the_images_headers(reader, editor_client, make_term):
    url = published_image(editor_client, make_term)
    response = reader.head(url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")


def test_images_are_served_only_to_get_and_head(reader, editor_client, make_term):
    url = published_image(editor_client, make_term)
    assert reader.post(url).status_code == 405


# Who is served an image ------------------------------------------------------------------------------------------------


def shows(url: str) -> str:
    """Markdown showing the image at `url`."""
    return f"Look:\n\n![A red square]({url})"


def test_a_drafts_image_is_not_found_by_readers(reader, editor_client, make_term):
    url = upload(editor_client, picture("PNG")).json()["url"]
    make_term("Red square", explanation=shows(url))
    assert reader.get(url).status_code == 404


def test_a_drafts_image_is_served_to_its_editor(editor_client, make_term):
    url = upload(editor_client, picture("PNG")).json()["url"]
    make_term("Red square", explanation=shows(url))
    assert editor_client.get(url).status_code == 200


def test_a_drafts_image_is_served_to_reviewers(editor_client, separate_reviewer_client):
    url = upload(editor_client, picture("PNG")).json()["url"]
    assert separate_reviewer_client.get(url).status_code == 200


def test_a_drafts_image_is_not_found_by_staff_who_cannot_edit_terms(editor_client, django_user_model):
    url = upload(editor_client, picture("PNG")).json()["url"]
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("stan", password="pw-stan-1234", is_staff=True))
    assert staff.get(url).status_code == 404


def test_a_reader_asking_whether_a_drafts_image_changed_is_told_it_is_not_found(reader, editor_client):
    url = upload(editor_client, picture("PNG")).json()["url"]
    etag = editor_client.get(url)["ETag"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_an_editor_asking_whether_a_drafts_image_changed_is_told_it_has_not(editor_client):
    url = upload(editor_client, picture("PNG")).json()["url"]
    etag = editor_client.get(url)["ETag"]
    assert editor_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_refusing_a_reader_a_drafts_image_reads_one_row(reader, editor_client, django_assert_num_queries):
    url = upload(editor_client, picture("PNG")).json()["url"]
    with django_assert_num_queries(1):
        assert reader.get(url).status_code == 404


# Each place on a page that can show an image (or, in a link, lead to it), filled in a term's working copy.
PLACES = {
    "a section": lambda term, url: Term.objects.filter(pk=term.pk).update(usage=shows(url)),
    "a link": lambda term, url: Term.objects.filter(pk=term.pk).update(history=f"[The full-size plot]({url})"),
    "an example": lambda term, url: Example.objects.create(term=term, title="A plot", body=shows(url)),
    "a misconception's correction": lambda term, url: Misconception.objects.create(
        term=term, claim="Squares are never red.", correction=shows(url)
    ),
}


@pytest.mark.parametrize("place", PLACES)
def test_publishing_a_page_serves_its_image_to_readers(reader, editor_client, make_term, place):
    url = upload(editor_client, picture("PNG")).json()["url"]
    term = make_term("Red square")
    PLACES[place](term, url)
    publish(term, by=None)
    assert reader.get(url).status_code == 200


def test_unpublishing_a_page_hides_its_image_from_readers(reader, editor_client, make_term):
    url = upload(editor_client, picture("PNG")).json()["url"]
    term = make_term("Red square", explanation=shows(url))
    publish(term, by=None)
    unpublish(term, by=None)
    assert reader.get(url).status_code == 404


def test_deleting_a_published_term_hides_its_image_from_readers(reader, editor_client, make_term):
    url = upload(editor_client, picture("PNG")).json()["url"]
    term = make_term("Red square", explanation=shows(url))
    publish(term, by=None)
    delete_term(term, by=None)
    assert reader.get(url).status_code == 404


def test_an_image_a_new_publish_takes_off_the_page_is_not_found_by_readers(reader, editor_client, make_term):
    url = upload(editor_client, picture("PNG")).json()["url"]
    term = make_term("Red square", explanation=shows(url))
    publish(term, by=None)
    Term.objects.filter(pk=term.pk).update(explanation="No picture any more.")
    publish(term, by=None)
    assert reader.get(url).status_code == 404


def test_an_image_taken_off_one_page_is_served_while_another_published_page_shows_it(reader, editor_client, make_term):
    url = upload(editor_client, picture("PNG")).json()["url"]
    term = make_term("Red square", explanation=shows(url))
    publish(term, by=None)
    publish(make_term("Red", explanation=shows(url)), by=None)
    Term.objects.filter(pk=term.pk).update(explanation="No picture any more.")
    publish(term, by=None)
    assert reader.get(url).status_code == 200


def test_rolling_back_to_a_version_that_showed_an_image_serves_it_again(reader, editor_client, make_term):
    url = upload(editor_client, picture("PNG")).json()["url"]
    term = make_term("Red square", explanation=shows(url))
    publish(term, by=None)
    Term.objects.filter(pk=term.pk).update(explanation="No picture any more.")
    publish(term, by=None)
    rollback(Revision.objects.get(term=term, number=1), by=None)
    assert reader.get(url).status_code == 200


def test_rolling_back_to_a_version_without_an_image_hides_it(reader, editor_client, make_term):
    url = upload(editor_client, picture("PNG")).json()["url"]
    term = make_term("Red square", explanation="No picture yet.")
    publish(term, by=None)
    Term.objects.filter(pk=term.pk).update(explanation=shows(url))
    publish(term, by=None)
    rollback(Revision.objects.get(term=term, number=1), by=None)
    assert reader.get(url).status_code == 404


# How long an image may be kept -----------------------------------------------------------------------------------------


def test_a_published_image_may_be_kept_by_every_cache_for_good(reader, editor_client, make_term):
    url = published_image(editor_client, make_term)
    assert reader.get(url)["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_editor_is_served_a_published_image_as_readers_are(editor_client, make_term):
    url = published_image(editor_client, make_term)
    assert editor_client.get(url)["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_drafts_image_is_kept_by_its_editors_browser_alone(editor_client):
    url = upload(editor_client, picture("PNG")).json()["url"]
    assert editor_client.get(url)["Cache-Control"] == "private, no-cache"


def test_a_drafts_image_served_to_an_editor_depends_on_their_cookie(editor_client):
    url = upload(editor_client, picture("PNG")).json()["url"]
    assert editor_client.get(url)["Vary"] == "Cookie"


def test_a_drafts_image_served_to_an_editor_is_not_kept_for_readers(reader, editor_client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    url = upload(editor_client, picture("PNG")).json()["url"]
    assert editor_client.get(url).status_code == 200
    assert reader.get(url).status_code == 404


# On the published page -------------------------------------------------------------------------------------------------


def test_a_published_page_shows_an_uploaded_image_with_its_alt_text_and_size(editor_client, make_term):
    markdown = upload(editor_client, picture("PNG", size=(40, 30)), alt_text="A red square").json()["image_code"]
    term = make_term("Red square", explanation=f"Look:\n\n{markdown}")
    publish(term, by=None)
    url = Image.objects.get().file.name.removeprefix("images/")
    assert (
        f'<img src="/media/images/{url}" alt="A red square" width="40" height="30" loading="lazy">'
        in PublishedTerm.objects.get(pk=term.pk).explanation_html
    )


def test_images_are_served_where_the_published_pages_look_for_them():
    assert reverse("terms:image", args=["x.png"]) == f"{settings.MEDIA_URL}images/x.png"
