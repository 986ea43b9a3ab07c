"""An editor adds an image with its alt text, a reviewer publishes the term, and readers see the image (not before)."""

import io
import re

from PIL import Image as Pillow
from playwright.sync_api import expect

from .conftest import log_in
from .test_accessibility import inject

EXPLANATION = "Dropout switches off random neurons while a network trains."
ALT_TEXT = "A network diagram with half of its neurons greyed out"


def png(size=(120, 80), color="teal") -> bytes:
    output = io.BytesIO()
    Pillow.new("RGB", size, color).save(output, format="PNG")
    return output.getvalue()


def open_new_term(page, site, name: str) -> None:
    page.goto(site("/admin/terms/term/add/"))
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("One-line definition:", exact=True).fill(f"{name}: a regularisation method for networks.")
    page.get_by_label("Tags:", exact=True).fill("Training")
    page.get_by_label("Explained in plain English:", exact=True).fill(EXPLANATION + "\n\n")


def add_image(page, alt_text: str = ALT_TEXT) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add image to Explained in plain English").click()
    chooser.value.set_files({"name": "dropout.png", "mimeType": "image/png", "buffer": png()})
    dialog = page.get_by_role("dialog", name="Add an image")
    dialog.get_by_label("Alt text").fill(alt_text)
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()


def test_an_uploaded_image_appears_on_the_published_page(new_page, site):
    editor = new_page()
    log_in(editor, site, "editor")
    open_new_term(editor, site, "Dropout")
    add_image(editor)
    explanation = editor.get_by_label("Explained in plain English:", exact=True)
    expect(explanation).to_have_value(re.compile(rf"!\[{ALT_TEXT}\]\(/media/images/[0-9a-f]{{64}}-120x80\.png\)"))
    # The live preview shows it as the published page will, though readers may not load it yet.
    preview = editor.locator(".markdownx-preview img")
    expect(preview).to_have_attribute("alt", ALT_TEXT)
    editor.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=preview.element_handle())
    src = preview.get_attribute("src") or ""
    editor.get_by_role("button", name="Save and submit for review").click()
    expect(editor.locator(".messagelist")).to_contain_text("Dropout")
    reader = new_page()
    assert reader.request.get(site(src)).status == 404

    reviewer = new_page()
    log_in(reviewer, site, "reviewer")
    reviewer.goto(site("/admin/terms/term/review/"))
    reviewer.get_by_role("link", name="Dropout").first.click()
    reviewer.get_by_role("button", name="Publish this version").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("“Dropout” is published.")

    reader.goto(site("/terms/dropout/"))
    image = reader.get_by_role("img", name=ALT_TEXT)
    expect(image).to_have_attribute("loading", "lazy")
    image.scroll_into_view_if_needed()
    reader.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("image => [image.naturalWidth, image.naturalHeight]") == [120, 80]
    assert reader.errors == []


def test_an_image_is_served_with_its_type_and_nosniff(new_page, site):
    editor = new_page()
    log_in(editor, site, "editor")
    open_new_term(editor, site, "Served image")
    add_image(editor)
    src = re.search(r"\((/media/images/[^)]+)\)", editor.get_by_label("Explained in plain English:").input_value())
    response = editor.request.get(site(src.group(1)))
    assert (response.status, response.headers["content-type"], response.headers["x-content-type-options"]) == (
        200,
        "image/png",
        "nosniff",
    )


def test_alt_text_is_asked_for_before_anything_is_uploaded(new_page, site):
    editor = new_page()
    log_in(editor, site, "editor")
    open_new_term(editor, site, "No alt text")
    uploads = []
    editor.on("request", lambda request: "/markdownx/upload/" in request.url and uploads.append(request))
    with editor.expect_file_chooser() as chooser:
        editor.get_by_role("button", name="Add image to Explained in plain English").click()
    chooser.value.set_files({"name": "dropout.png", "mimeType": "image/png", "buffer": png()})
    dialog = editor.get_by_role("dialog", name="Add an image")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "Give the image alt text: readers who cannot see the image read it instead."
    )
    assert uploads == []


def test_a_file_dropped_on_a_field_asks_for_alt_text_and_is_uploaded_once(new_page, site):
    editor = new_page()
    log_in(editor, site, "editor")
    open_new_term(editor, site, "Dropped image")
    uploads = []
    editor.on("request", lambda request: "/markdownx/upload/" in request.url and uploads.append(request))
    files = editor.evaluate_handle(
        """bytes => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], "dropped.png", {type: "image/png"}));
            return transfer;
        }""",
        list(png()),
    )
    editor.dispatch_event("#id_explanation", "drop", {"dataTransfer": files})
    dialog = editor.get_by_role("dialog", name="Add an image")
    dialog.get_by_label("Alt text").fill("A dropped teal rectangle")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(editor.locator("#id_explanation")).to_have_value(
        re.compile(r"!\[A dropped teal rectangle\]\(/media/images/")
    )
    assert len(uploads) == 1, "markdownx's own editor must not upload the file too"


def test_a_file_that_is_not_an_image_is_refused_in_words(new_page, site):
    editor = new_page()
    log_in(editor, site, "editor")
    open_new_term(editor, site, "Not an image")
    with editor.expect_file_chooser() as chooser:
        editor.get_by_role("button", name="Add image to Explained in plain English").click()
    chooser.value.set_files({"name": "drawing.png", "mimeType": "image/png", "buffer": b"<svg onload=alert(1)>"})
    dialog = editor.get_by_role("dialog", name="Add an image")
    dialog.get_by_label("Alt text").fill("A drawing")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "This file is not a PNG, JPEG, GIF or WebP image; other kinds, SVG included, are not accepted."
    )


def test_a_new_example_row_can_take_an_image_too(new_page, site):
    editor = new_page()
    log_in(editor, site, "editor")
    open_new_term(editor, site, "Example with image")
    editor.get_by_role("button", name="Add another Example").click()
    with editor.expect_file_chooser() as chooser:
        editor.locator("#examples-0").get_by_role("button", name="Add image to Body").click()
    chooser.value.set_files({"name": "example.png", "mimeType": "image/png", "buffer": png()})
    dialog = editor.get_by_role("dialog", name="Add an image")
    dialog.get_by_label("Alt text").fill("An example's picture")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(editor.locator("[name='examples-0-body']")).to_have_value(re.compile(r"^!\[An example's picture\]\("))


def test_the_image_controls_and_dialog_are_accessible_in_both_themes(new_page, site, axe_core):
    for scheme in ("light", "dark"):
        editor = new_page(color_scheme=scheme)
        log_in(editor, site, "editor")
        open_new_term(editor, site, "Accessible dialog")
        with editor.expect_file_chooser() as chooser:
            editor.get_by_role("button", name="Add image to Explained in plain English").click()
        chooser.value.set_files({"name": "dropout.png", "mimeType": "image/png", "buffer": png()})
        expect(editor.get_by_role("dialog", name="Add an image")).to_be_visible()
        inject(editor, axe_core)
        results = editor.evaluate(
            "() => axe.run({include: [['.image-dialog'], ['.image-tools']]}, {resultTypes: ['violations']})"
        )
        assert [violation["id"] for violation in results["violations"]] == [], scheme
