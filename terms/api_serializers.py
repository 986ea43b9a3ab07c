"""What the read API answers, field by field: the OpenAPI schema at /api/schema/ is generated from these."""

import re

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from rest_framework import serializers

from .addresses import tag_url, term_url
from .enums import LabelKind, RelationKind

# An address on this site written from its root ("/terms/x/", "/media/images/..."), in sanitised HTML,
# which always quotes attributes with double quotes.
SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute(path: str) -> str:
    """The address of a path on this site, from SITE_URL, never from the request's Host header."""
    return settings.SITE_URL + path


def absolute_links(html: str) -> str:
    """The HTML with its links and images pointing at this site from anywhere they are shown."""
    return SITE_RELATIVE.sub(lambda match: match[1] + settings.SITE_URL + "/", html)


def term_api_url(slug: str) -> str:
    return absolute(reverse("api:term-detail", args=[slug]))


def tag_api_url(slug: str) -> str:
    return absolute(reverse("api:term-list") + "?" + urlencode({"tag": slug}))


class TermPageUrl(serializers.URLField):
    """A term's page on the site, from its slug."""

    def __init__(self, **kwargs):
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        return absolute(term_url(slug))


class TermApiUrl(TermPageUrl):
    """A term's address in the API, from its slug."""

    def to_representation(self, slug):
        return term_api_url(slug)


class TagPageUrl(TermPageUrl):
    """A tag's page on the site, from its slug."""

    def to_representation(self, slug):
        return absolute(tag_url(slug))


class TagApiUrl(TermPageUrl):
    """The API's list of the terms with a tag, from its slug."""

    def to_representation(self, slug):
        return tag_api_url(slug)


class TagSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='The tag as readers see it, e.g. "Training".')
    slug = serializers.CharField(help_text='The tag in addresses, e.g. "training"; may be non-Latin.')
    url = TagPageUrl(help_text="The tag's page on the site.")
    api_url = TagApiUrl(help_text="The API's list of the published terms with this tag.")


class TagCountSerializer(TagSerializer):
    count = serializers.IntegerField(help_text="How many published terms have this tag.")


class TagListSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many tags published terms have.")
    results = TagCountSerializer(many=True, help_text="Every tag of a published term, by name.")


class DeprecatedFlag(serializers.BooleanField):
    """Whether a term is deprecated: whether it has a date of deprecation."""

    def __init__(self, **kwargs):
        # The whole term: a null date would be written as null without being asked.
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, term):
        return term.deprecated_at is not None


class SuccessorSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='The term to use instead, as its page heads it, e.g. "LoRA".')
    slug = serializers.CharField()
    url = TermPageUrl(help_text="Its page on the site.")
    api_url = TermApiUrl(help_text="It in this API.")


class TermListItemSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text='The term\'s name, e.g. "Fine-tuning"; homonyms share one, e.g. "Attention".'
    )
    qualifier = serializers.CharField(
        help_text='What tells a homonym apart, e.g. "psychology"; empty for a term whose name is its own.'
    )
    title = serializers.CharField(
        help_text='The name as lists show it, the qualifier in brackets: "Attention (psychology)"; else the name.'
    )
    slug = serializers.CharField(help_text='The term in addresses, e.g. "fine-tuning".')
    short_definition = serializers.CharField(help_text="Its one-line definition, plain text.")
    url = TermPageUrl(help_text="The term's page on the site.")
    api_url = TermApiUrl(help_text="Everything published about the term, in this API.")
    first_published_at = serializers.DateTimeField(help_text="When the term was first published.")
    published_at = serializers.DateTimeField(
        help_text="When the version shown was published: the term's last update, what `updated_since` compares."
    )
    tags = TagSerializer(many=True, help_text="Its tags, by name.")
    deprecated = DeprecatedFlag(
        help_text="Whether readers are told not to use the term any more; its page stays, out of lists and search."
    )
    deprecated_at = serializers.DateTimeField(allow_null=True, help_text="When it was deprecated; null when it is not.")
    replaced_by = SuccessorSerializer(
        many=True,
        source="successors",
        help_text="The published terms to use instead while it is deprecated, by name; empty otherwise.",
    )


class RelatedTermSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='The related term\'s title, e.g. "Attention (psychology)".')
    slug = serializers.CharField()
    short_definition = serializers.CharField(help_text="The related term's one-liner.")
    url = TermPageUrl(help_text="The related term's page on the site.")
    api_url = TermApiUrl(help_text="The related term in this API.")


class RelationGroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=RelationKind.choices,
        help_text="How these terms relate to this one: broader, narrower, related, or contrast (not to be confused with).",
    )
    label = serializers.CharField(help_text='The group\'s heading on the page, e.g. "Broader terms".')
    terms = RelatedTermSerializer(many=True, help_text="The published terms of this kind, in page order.")


class SectionSerializer(serializers.Serializer):
    html = serializers.CharField(
        help_text="The section as the page shows it: sanitised HTML, cross-links included, addresses absolute."
    )
    markdown = serializers.CharField(help_text="The markdown it was rendered from. Both are empty for no section.")


class SectionsSerializer(serializers.Serializer):
    explanation = SectionSerializer(help_text="The plain-English explanation.")
    analogy = SectionSerializer()
    usage = SectionSerializer(help_text="How the term is used.")
    history = SectionSerializer()


class ExampleSerializer(serializers.Serializer):
    title = serializers.CharField()
    html = serializers.CharField(help_text="The example as the page shows it.")
    markdown = serializers.CharField(help_text="The markdown it was rendered from.")


class MisconceptionSerializer(serializers.Serializer):
    claim = serializers.CharField(help_text="What people wrongly believe, plain text.")
    html = serializers.CharField(help_text="The correction as the page shows it.")
    markdown = serializers.CharField(help_text="The correction's markdown.")


class LabelSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=LabelKind.choices, help_text="What kind of other name it is.")


class TermSerializer(TermListItemSerializer):
    """Everything published about a term (the serializer's instance is prepared by `terms.api.for_api`)."""

    sentence_name = serializers.CharField(help_text='The name mid-sentence, e.g. "an LLM", "fine-tuning".')
    pronunciation = serializers.CharField(help_text='How to say it, e.g. "EL-EL-EM"; empty when not given.')
    aliases = serializers.ListField(
        child=serializers.CharField(), help_text="Other names readers see (hidden labels are not among them)."
    )
    labels = LabelSerializer(
        many=True, help_text="Every other name with its kind, hidden ones (misspellings, search-only words) included."
    )
    sections = SectionsSerializer()
    examples = ExampleSerializer(many=True, source="example_items", help_text="In page order.")
    misconceptions = MisconceptionSerializer(many=True, source="misconception_items", help_text="In page order.")
    relations = RelationGroupSerializer(many=True, source="related", help_text="Related terms, grouped by kind.")
    skos_url = TermPageUrl(
        help_text="The term as SKOS: its page, asked for with Accept: text/turtle or application/ld+json."
    )


class RootSerializer(serializers.Serializer):
    terms = serializers.URLField(help_text="The published terms, a page at a time.")
    tags = serializers.URLField(help_text="Every tag of a published term, with counts.")
    schema = serializers.URLField(help_text="This API's OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="This API's documentation, to read and try in a browser.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


class ParameterErrorSerializer(ErrorSerializer):
    parameter = serializers.CharField(help_text="The query parameter at fault.")
