"""Fetching admin pages and building the term form's POST data, for tests."""

from html.parser import HTMLParser

from django.urls import reverse


def page(client, url, status=200) -> str:
    """The page's HTML, after checking it answered `status`."""
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}, not {status}"
    return response.content.decode()


def change_url(term):
    return reverse("admin:terms_term_change", args=[term.pk])


def inline(prefix, rows, initial=0):
    """POST data for one inline formset."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{field}": value for field, value in row.items()})
    return data


def term_form(examples=(), misconceptions=(), relations=(), **fields):
    """POST data for the term change form, with the Fine-tuning page's texts by default."""
    data = {
        "name": "Fine-tuning",
        "slug": "fine-tuning",
        "short_definition": "The process of further training a pre-trained AI model on specialised data.",
        "pronunciation": "/faɪn ˈtjuːnɪŋ/",
        "aliases": "Finetuning",
        "tags": "Training, Large language models",
        "explanation": "Paragraph one.\n\nParagraph two.",
        "analogy": "Like hiring an experienced chef.",
        "usage": "Brand-specific writing.",
        "history": "LoRA (2021).",
        "sentence_name": "",
        **fields,
    }
    data.update(inline("examples", list(examples)))
    data.update(inline("misconceptions", list(misconceptions)))
    data.update(inline("relations", list(relations)))
    return data


def change_form(term, **fields):
    """The term form's POST data for a change to `term`, opened at its current edit version."""
    return term_form(loaded_edit_version=str(term.edit_version), **fields)


class FormReader(HTMLParser):
    """The fields a browser submits from one form, textareas with the CRLF line endings browsers send."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "checkbox", "radio", "file"):
            self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio") and "checked" in attrs:
            self.data[attrs["name"]] = attrs.get("value") or "on"
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # Browsers read any line ending in the page as LF, drop the newline that opens a textarea,
            # and send its line endings as CRLF.
            text = self.data[self.textarea].replace("\r\n", "\n").replace("\r", "\n").removeprefix("\n")
            self.data[self.textarea] = text.replace("\n", "\r\n")
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def form_as_submitted(html: str, form_id: str = "term_form") -> dict:
    """What a browser posts from the form with this id, left as it was shown."""
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.data
