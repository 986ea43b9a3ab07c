"""Images editors add to sections: checked, re-encoded without metadata, stored once per content.

An upload is refused, with a message for the editor and nothing stored, unless it is a PNG,
JPEG, GIF or WebP of at most MAX_BYTES and MAX_SIDE pixels a side that Pillow can decode.
The size is read from the file's header before any pixel is decoded, so a small file that
claims to be huge (a decompression bomb) costs nothing. Accepted images are decoded and
encoded again from their pixels alone: whatever else the file carried (EXIF, ICC profiles,
text chunks, comments, bytes after the image such as HTML) is not in the stored file.
An animation keeps its first frame: a still never distracts a reader (WCAG 2.2.2) and is
the frame whose size was checked.

Stored files are named by their content (`images/<sha256>-<width>x<height>.<ext>`), through
Django's storage API, so the same image is stored once, a name never changes meaning, and the
reader pages know an image's size from its address alone (`terms.rendering.own_image`).

Publishing records the stored images each published page shows (`PublishedImage`): the only
ones readers are served (`terms.views.image`); editors are served any.
"""

import hashlib
import io
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from PIL import Image as Pillow
from PIL import ImageCms, ImageOps, UnidentifiedImageError

from .models.media import ALT_TEXT_MAX_LENGTH, Image
from .models.published import PublishedImage
from .rendering import IMAGE_CONTENT_TYPES, own_image_names

MAX_BYTES = 5 * 1024 * 1024
"""The largest file an editor may upload."""

MAX_SIDE = 4_000
"""The most pixels an image may have across or down."""

FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
"""Pillow's name for each accepted format, and the extension its stored files get."""

# Pillow refuses outright (DecompressionBombError) at twice this many pixels, and warns above it;
# either way such an image is over MAX_SIDE and refused before its pixels are decoded.
Pillow.MAX_IMAGE_PIXELS = MAX_SIDE * MAX_SIDE

_SRGB = ImageCms.createProfile("sRGB")
_WHITESPACE = re.compile(r"\s+")
_MARKDOWN_ALT_SPECIALS = re.compile(r"([\\\[\]])")


class ImageRefused(Exception):
    """An upload that is not stored; its message tells the editor why."""


@dataclass(frozen=True)
class StoredImage:
    """An accepted upload: its row, its address, the markdown that shows it, and what changed in it."""

    image: Image
    url: str
    markdown: str
    note: str = ""


def store_image(upload, *, alt_text: str, by) -> StoredImage:
    """Check, re-encode and store an uploaded file, or raise ImageRefused with nothing stored."""
    alt_text = clean_alt_text(alt_text)
    if upload is None:
        raise ImageRefused("Choose an image file to upload.")
    if upload.size > MAX_BYTES:
        raise ImageRefused(too_big(upload.size))
    if not upload.size:
        raise ImageRefused("The file is empty.")
    picture, kind, animated = _decoded(upload)
    data = _encoded(picture, kind)
    width, height = picture.size
    sha256 = hashlib.sha256(data).hexdigest()
    name = f"images/{sha256}-{width}x{height}.{FORMATS[kind]}"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:
            # Another upload of the same image stored it meanwhile: the content is the same, keep one.
            default_storage.delete(saved)
    with transaction.atomic():
        image = Image.objects.filter(sha256=sha256).first() or Image.objects.create(
            file=name,
            alt_text=alt_text,
            width=width,
            height=height,
            content_type=IMAGE_CONTENT_TYPES[FORMATS[kind]],
            size=len(data),
            sha256=sha256,
            uploaded_by=by,
        )
    url = image_url(image)
    note = "It was an animation: its first frame is kept, as pages show stills." if animated else ""
    return StoredImage(image=image, url=url, markdown=image_markdown(url, alt_text), note=note)


def too_big(size: int) -> str:
    """The message for a file of `size` bytes, over MAX_BYTES."""
    return f"The file is {size / 1024 / 1024:.1f} MB; an image may be at most {MAX_BYTES // 1024 // 1024} MB."


def clean_alt_text(alt_text: str | None) -> str:
    """The alt text on one line, or ImageRefused if it is empty or too long."""
    alt_text = _WHITESPACE.sub(" ", alt_text or "").strip()
    if not alt_text:
        raise ImageRefused("Give the image alt text: readers who cannot see the image read it instead.")
    if len(alt_text) > ALT_TEXT_MAX_LENGTH:
        raise ImageRefused(f"Alt text may be at most {ALT_TEXT_MAX_LENGTH} characters; this one has {len(alt_text)}.")
    return alt_text


def image_url(image: Image) -> str:
    """The site's own address of a stored image, whichever storage holds it."""
    return reverse("terms:image", args=[image.file.name.removeprefix("images/")])


def image_markdown(url: str, alt_text: str) -> str:
    """Markdown showing the image at `url`, its alt text escaped so that it cannot close the brackets."""
    escaped = _MARKDOWN_ALT_SPECIALS.sub(r"\\\1", alt_text)
    return f"![{escaped}]({url})"


def published_rows(term_id: int, sections: dict[str, str]) -> list[PublishedImage]:
    """The `PublishedImage` rows of a published page: each stored image its rendered sections show or link to."""
    names = set().union(*(own_image_names(html) for html in sections.values()))
    return [PublishedImage(term_id=term_id, name=name) for name in sorted(names)]


def record_published(term_id: int, sections: dict[str, str]) -> None:
    """Make the images the page's rendered sections show now the ones its `PublishedImage` rows record."""
    PublishedImage.objects.filter(term_id=term_id).delete()
    PublishedImage.objects.bulk_create(published_rows(term_id, sections))


def _decoded(upload) -> tuple[Pillow.Image, str, bool]:
    """The upload's first frame, decoded, upright and in sRGB; its format; whether it had more frames."""
    try:
        upload.seek(0)
        with Pillow.open(upload, formats=tuple(FORMATS)) as opened:
            # Only the header has been read: a huge image is refused before its pixels are decoded.
            _check_size(*opened.size)
            opened.verify()
        upload.seek(0)
        with Pillow.open(upload, formats=tuple(FORMATS)) as opened:
            kind = opened.format
            opened.load()
            first = opened.copy()
            animated = bool(getattr(opened, "is_animated", False))
    except UnidentifiedImageError as error:
        raise ImageRefused(
            "This file is not a PNG, JPEG, GIF or WebP image; other kinds, SVG included, are not accepted."
        ) from error
    except (Pillow.DecompressionBombError, Pillow.DecompressionBombWarning) as error:
        # The warning arrives as an exception where warnings are errors (as in the tests).
        raise ImageRefused(
            f"The image says it is more than {MAX_SIDE:,} pixels a side; make it smaller and try again."
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageRefused("The image could not be read: the file is damaged or incomplete.") from error
    upright = ImageOps.exif_transpose(first)
    return _in_srgb(upright, first.info.get("icc_profile")), kind, animated


def _check_size(width: int, height: int) -> None:
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageRefused(
            f"The image is {width:,} × {height:,} pixels; at most {MAX_SIDE:,} pixels a side are accepted. "
            "Make it smaller and try again."
        )


def _in_srgb(picture: Pillow.Image, icc_profile: bytes | None) -> Pillow.Image:
    """The picture with its colours in sRGB, so that dropping its colour profile does not change how it looks."""
    if not icc_profile or picture.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        mode = picture.mode if picture.mode in ("L", "RGBA") else "RGB"
        converted = ImageCms.profileToProfile(picture, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A profile littleCMS cannot use (or one for other colours): the pixels are kept as they are.
        return picture
    converted.info = {**picture.info}
    return converted


def _encoded(picture: Pillow.Image, kind: str) -> bytes:
    """The picture encoded afresh as `kind` from its pixels alone: no metadata, nothing after the image."""
    transparency = picture.info.get("transparency")
    options = {}
    if kind == "JPEG":
        picture = picture.convert("L" if picture.mode in ("1", "L") else "RGB")
        options = {"quality": 90, "optimize": True}
    elif kind == "GIF":
        if picture.mode not in ("P", "L"):
            picture = picture.convert("P", palette=Pillow.Palette.ADAPTIVE)
            transparency = None
        if isinstance(transparency, int):
            options = {"transparency": transparency}
    elif transparency is not None or picture.mode not in ("1", "L", "LA", "RGB", "RGBA", "P"):
        # Transparency kept as a palette entry or a colour is metadata to Pillow: it becomes an alpha channel.
        has_alpha = transparency is not None or "A" in picture.mode
        picture = picture.convert("RGBA" if has_alpha else "RGB")
    if kind == "WEBP":
        if picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA" if "A" in picture.mode else "RGB")
        options = {"quality": 90}
    # Nothing read from the upload is written back, whatever Pillow would take from `info`.
    picture.info = {}
    output = io.BytesIO()
    picture.save(output, format=kind, **options)
    return output.getvalue()
