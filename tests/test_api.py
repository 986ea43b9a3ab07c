"""The read API under /api/: published content only, as its OpenAPI schema says, with caching, CORS and clear errors.

Every request goes through `call`, which checks the answer against the schema's response for that
operation and status (an address or method the schema does not have must answer its Error shape).
"""

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from rest_framework.throttling import AnonRateThrottle

from terms.bulk_publishing import publish_new_in_bulk
from terms.models import Example, Misconception, PublishedTerm, Relation
from terms.publishing import publish, unpublish
from terms.search import search_terms
from terms.workflow import Draft

SCHEMA_URI = "urn:glossary-api"
ORIGIN = "https://elsewhere.example"


def strict(node):
    """The schema with every object closed to properties it does not document, so an undocumented field fails."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
    return node


@pytest.fixture(scope="module")
def schema():
    """The API's OpenAPI schema as /api/schema/ serves it, as plain JSON."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


@pytest.fixture(scope="module")
def registry(schema):
    strict_schema = strict(json.loads(json.dumps(schema)))
    return Registry().with_resource(SCHEMA_URI, Resource.from_contents(strict_schema, default_specification=DRAFT4))


def openapi_path(path: str) -> str | None:
    """The schema's path for an address ("/api/terms/{slug}/"), or None for an address no operation has."""
    try:
        route = resolve(path).route
    except Resolver404:
        return None
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def pointer(*parts: str) -> str:
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


@pytest.fixture
def call(client, schema, registry):
    """`call(url, method="get", **headers)`: the response, once its body is checked against the schema."""

    def call(url, method="get", **headers):
        response = getattr(client, method)(url, **headers)
        operation = schema["paths"].get(openapi_path(urlsplit(url).path), {}).get(method)
        if operation is None:
            # No such address or method: only an error may answer, in the Error shape.
            expected = pointer("components", "schemas", "Error")
        else:
            documented = operation["responses"].get(str(response.status_code))
            assert documented is not None, f"{method.upper()} {url}: {response.status_code} is not in the schema"
            if "content" not in documented:
                assert response.content == b""
                return response
            expected = pointer("paths", openapi_path(urlsplit(url).path), method, "responses")
            expected += f"/{response.status_code}/content/application~1json/schema"
        if method == "head" or (method == "options" and not response.content):
            return response
        OAS30Validator({"$ref": SCHEMA_URI + expected}, registry=registry).validate(json.loads(response.content))
        return response

    return call


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


@pytest.fixture
def rich_term(make_term, relate):
    """A published term with every section, an example, a misconception, an alias and a broader term."""
    broader = make_term("Optimisation", short_definition="Making something as good as it can be.")
    publish(broader, by=None)
    term = make_term(
        "Stochastic gradient descent",
        slug="sgd",
        sentence_name="stochastic gradient descent",
        pronunciation="sto-KAS-tik",
        aliases="SGD",
        explanation="It is **Optimisation** on a few examples at a time.",
        analogy="Walking downhill by *feel*.",
        usage="Training neural networks.",
        history="Robbins and Monro, 1951.",
        tags=["Training"],
    )
    Example.objects.create(term=term, position=1, title="A small batch", body="Take **32** examples.")
    Misconception.objects.create(
        term=term, position=1, claim="It always finds the best answer.", correction="It may *not*."
    )
    relate(term, broader, Relation.Kind.BROADER)
    publish(term, by=None)
    return term


# The schema


def test_the_schema_endpoint_serves_a_valid_openapi_3_schema(client, db):
    response = client.get("/api/schema/?format=json")
    validate_spec(response.json())


def test_the_schema_lists_the_api_operations(schema):
    assert sorted(schema["paths"]) == ["/api/", "/api/tags/", "/api/terms/", "/api/terms/{slug}/"]


def test_the_schema_names_site_url_as_the_server(client, db, settings):
    settings.SITE_URL = "https://glossary.example.org"
    assert client.get("/api/schema/?format=json").json()["servers"] == [{"url": "https://glossary.example.org"}]


def operations(schema):
    return [(path, method, operation) for path, item in schema["paths"].items() for method, operation in item.items()]


def test_every_parameter_in_the_schema_is_described(schema):
    undescribed = [
        (path, parameter["name"])
        for path, _, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert undescribed == []


def test_every_response_in_the_schema_is_described(schema):
    undescribed = [
        (path, status)
        for path, _, operation in operations(schema)
        for status, response in operation["responses"].items()
        if not response.get("description")
    ]
    assert undescribed == []


def test_the_schema_documents_the_term_lists_parameters(schema):
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/terms/"]["get"]["parameters"]}
    assert {"page", "tag", "q", "updated_since", "If-None-Match", "If-Modified-Since"} <= parameters


def test_the_schema_documents_the_term_lists_errors(schema):
    assert {"400", "404", "429"} <= set(schema["paths"]["/api/terms/"]["get"]["responses"])


def test_the_schema_documents_the_redirect_from_a_former_slug(schema):
    assert "301" in schema["paths"]["/api/terms/{slug}/"]["get"]["responses"]


# Published content only


def test_the_root_lists_the_apis_addresses(call, db):
    assert call("/api/").json()["terms"] == "http://testserver/api/terms/"


def test_the_term_list_shows_published_terms(call, published_term):
    assert names(call("/api/terms/")) == ["Gradient descent"]


def test_the_term_list_never_shows_a_draft(call, published_term, draft_term):
    assert names(call("/api/terms/")) == ["Gradient descent"]


def test_a_draft_is_a_404(call, draft_term):
    assert call(f"/api/terms/{draft_term.slug}/").status_code == 404


def test_a_search_never_finds_a_draft(call, published_term, draft_term):
    assert names(call("/api/terms/?q=secret")) == []


def test_tags_never_count_a_draft(call, published_term, draft_term):
    tags = call("/api/tags/").json()["results"]
    assert [(tag["slug"], tag["count"]) for tag in tags] == [("training", 1)]


def test_a_term_edited_since_publishing_shows_its_published_version(call, published_term, edit):
    edit(published_term, short_definition="An edit nobody has reviewed.")
    assert call("/api/terms/gradient-descent/").json()["short_definition"] == published_term.published.short_definition


def test_an_unpublished_term_is_a_404(call, published_term):
    call("/api/terms/gradient-descent/")  # now in the page cache
    unpublish(published_term, by=None)
    assert call("/api/terms/gradient-descent/").status_code == 404


def test_a_republished_term_is_answered_at_once_despite_the_page_cache(call, published_term, edit):
    call("/api/terms/gradient-descent/")
    edit(published_term, short_definition="Walking downhill, one step at a time.")
    publish(published_term, by=None)
    assert call("/api/terms/gradient-descent/").json()["short_definition"] == "Walking downhill, one step at a time."


# A term


def test_a_term_has_its_name_in_a_sentence(call, rich_term):
    assert call("/api/terms/sgd/").json()["sentence_name"] == "stochastic gradient descent"


def test_a_term_has_its_pronunciation(call, rich_term):
    assert call("/api/terms/sgd/").json()["pronunciation"] == "sto-KAS-tik"


def test_a_term_has_its_aliases(call, rich_term):
    assert call("/api/terms/sgd/").json()["aliases"] == ["SGD"]


def test_a_section_comes_as_markdown(call, rich_term):
    assert call("/api/terms/sgd/").json()["sections"]["analogy"]["markdown"] == "Walking downhill by *feel*."


def test_a_section_comes_as_the_pages_html(call, rich_term):
    assert call("/api/terms/sgd/").json()["sections"]["analogy"]["html"] == "<p>Walking downhill by <em>feel</em>.</p>"


def test_an_empty_section_is_empty_in_both_forms(call, published_term):
    assert call("/api/terms/gradient-descent/").json()["sections"]["history"] == {"html": "", "markdown": ""}


def test_a_cross_link_in_a_section_points_at_the_site_from_anywhere(call, rich_term):
    html = call("/api/terms/sgd/").json()["sections"]["explanation"]["html"]
    assert 'href="http://testserver/terms/optimisation/"' in html


def test_a_term_has_its_examples_as_html_and_markdown(call, rich_term):
    example = call("/api/terms/sgd/").json()["examples"][0]
    assert example == {
        "title": "A small batch",
        "html": "<p>Take <strong>32</strong> examples.</p>",
        "markdown": "Take **32** examples.",
    }


def test_a_term_has_its_misconceptions_as_html_and_markdown(call, rich_term):
    misconception = call("/api/terms/sgd/").json()["misconceptions"][0]
    assert misconception == {
        "claim": "It always finds the best answer.",
        "html": "<p>It may <em>not</em>.</p>",
        "markdown": "It may *not*.",
    }


def test_a_term_has_its_relations_with_their_kind_and_one_liners(call, rich_term):
    relation = call("/api/terms/sgd/").json()["relations"][0]
    assert (relation["kind"], relation["terms"][0]["short_definition"]) == (
        "broader",
        "Making something as good as it can be.",
    )


def test_a_related_term_links_its_api_address(call, rich_term):
    related = call("/api/terms/sgd/").json()["relations"][0]["terms"][0]
    assert related["api_url"] == "http://testserver/api/terms/optimisation/"


def test_the_other_end_of_a_relation_shows_it_inverted(call, rich_term):
    assert call("/api/terms/optimisation/").json()["relations"][0]["kind"] == "narrower"


def test_a_term_has_its_tags_with_their_pages(call, rich_term):
    assert call("/api/terms/sgd/").json()["tags"] == [
        {
            "name": "Training",
            "slug": "training",
            "url": "http://testserver/tags/training/",
            "api_url": "http://testserver/api/terms/?tag=training",
        }
    ]


def test_a_term_has_its_page_api_and_skos_addresses(call, rich_term):
    term = call("/api/terms/sgd/").json()
    assert (term["url"], term["api_url"], term["skos_url"]) == (
        "http://testserver/terms/sgd/",
        "http://testserver/api/terms/sgd/",
        "http://testserver/terms/sgd/",
    )


def test_a_term_has_its_publication_dates(call, rich_term):
    term = call("/api/terms/sgd/").json()
    published = PublishedTerm.objects.get(slug="sgd")
    assert term["published_at"] == published.published_at.isoformat().replace("+00:00", "Z")


def test_addresses_come_from_site_url_not_the_host_header(call, published_term, settings):
    settings.SITE_URL = "https://glossary.example.org"
    assert call("/api/terms/gradient-descent/").json()["url"] == "https://glossary.example.org/terms/gradient-descent/"


def test_an_aliases_address_answers_a_permanent_redirect(call, make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    response = call("/api/terms/llm/")
    assert (response.status_code, response["Location"]) == (301, "http://testserver/api/terms/large-language-model/")


def test_an_unknown_term_is_a_404_saying_so(call, db):
    assert call("/api/terms/no-such-term/").json() == {"detail": "No published term has this slug."}


# The list: pages and filters


@pytest.fixture
def many_terms(make_term):
    # Published at once as a bulk import does, with the rows `publish` writes: one page and one term more.
    terms = [make_term(f"Term {number:03}", tags=["Even" if number % 2 == 0 else "Odd"]) for number in range(101)]
    publish_new_in_bulk([Draft.load(term) for term in terms], by=None)


def test_the_term_list_counts_every_term(call, many_terms):
    assert call("/api/terms/").json()["count"] == 101


def test_a_page_holds_a_hundred_terms(call, many_terms):
    assert len(call("/api/terms/").json()["results"]) == 100


def test_the_term_list_is_in_a_to_z_order(call, many_terms):
    assert slugs(call("/api/terms/?page=2")) == ["term-100"]


def test_the_next_page_address_is_absolute_from_site_url(call, many_terms, settings):
    settings.SITE_URL = "https://glossary.example.org"
    assert call("/api/terms/").json()["next"] == "https://glossary.example.org/api/terms/?page=2"


def test_the_next_page_keeps_the_filters(call, make_term):
    terms = [make_term(f"Term {number:03}", tags=["Training"]) for number in range(101)]
    publish_new_in_bulk([Draft.load(term) for term in terms], by=None)
    assert call("/api/terms/?tag=training").json()["next"] == "http://testserver/api/terms/?page=2&tag=training"


def test_the_previous_page_of_the_second_is_the_first_without_a_page_number(call, many_terms):
    assert call("/api/terms/?page=2").json()["previous"] == "http://testserver/api/terms/"


def test_the_last_page_has_no_next(call, many_terms):
    assert call("/api/terms/?page=2").json()["next"] is None


def test_a_page_past_the_last_is_a_404(call, many_terms):
    assert call("/api/terms/?page=3").status_code == 404


@pytest.mark.parametrize("page", ["0", "abc", "-1", "01", "1" * 20])
def test_a_malformed_page_number_is_a_400_naming_the_parameter(call, db, page):
    response = call(f"/api/terms/?page={page}")
    assert (response.status_code, response.json()["parameter"]) == (400, "page")


def test_an_empty_glossary_has_an_empty_first_page(call, db):
    assert call("/api/terms/").json()["count"] == 0


def test_the_tag_filter_keeps_the_terms_with_the_tag(call, make_term):
    publish(make_term("Tagged", tags=["Training"]), by=None)
    publish(make_term("Untagged"), by=None)
    assert names(call("/api/terms/?tag=training")) == ["Tagged"]


def test_an_unknown_tag_filters_every_term_out(call, published_term):
    assert call("/api/terms/?tag=no-such-tag").json()["count"] == 0


def test_a_search_ranks_as_the_search_page_does(call, make_term):
    publish(make_term("Token", short_definition="A piece of text."), by=None)
    publish(make_term("Tokenization", short_definition="Splitting text into tokens."), by=None)
    publish(make_term("Embedding", short_definition="A token as a vector."), by=None)
    expected = [result.slug for result in search_terms("token", limit=200)]
    assert slugs(call("/api/terms/?q=token")) == expected


def test_a_search_forgives_a_typo(call, published_term):
    assert names(call("/api/terms/?q=gradiant")) == ["Gradient descent"]


def test_a_search_combines_with_the_tag_filter(call, make_term):
    publish(make_term("Token", tags=["Text"]), by=None)
    publish(make_term("Tokenization"), by=None)
    assert names(call("/api/terms/?q=token&tag=text")) == ["Token"]


def test_a_search_of_over_200_characters_is_a_400_naming_the_parameter(call, db):
    assert call("/api/terms/?q=" + "a" * 201).json()["parameter"] == "q"


def published_on(term, day: str) -> None:
    PublishedTerm.objects.filter(pk=term.pk).update(published_at=datetime.fromisoformat(day).replace(tzinfo=UTC))


@pytest.fixture
def old_and_new(make_term):
    old, new = make_term("Old term"), make_term("New term")
    publish(old, by=None)
    publish(new, by=None)
    published_on(old, "2020-01-01T12:00:00")
    published_on(new, "2024-06-01T12:00:00")


@pytest.mark.parametrize(
    "since", ["2024-01-01", "2024-06-01T12:00:00Z", "2024-06-01T13:00:00%2B01:00", "2024-06-01T12:00:00"]
)
def test_updated_since_keeps_the_terms_published_since(call, old_and_new, since):
    assert names(call(f"/api/terms/?updated_since={since}")) == ["New term"]


def test_updated_since_combines_with_a_search(call, old_and_new):
    assert names(call("/api/terms/?q=term&updated_since=2024-01-01")) == ["New term"]


@pytest.mark.parametrize("since", ["yesterday", "2024-02-30", "2024-13-01", "12:00"])
def test_a_malformed_updated_since_is_a_400_naming_the_parameter(call, db, since):
    response = call(f"/api/terms/?updated_since={since}")
    assert (response.status_code, response.json()["parameter"]) == (400, "updated_since")


# Tags


def test_tags_have_their_counts(call, make_term):
    publish(make_term("One", tags=["Training"]), by=None)
    publish(make_term("Two", tags=["Training"]), by=None)
    assert call("/api/tags/").json()["results"][0]["count"] == 2


def test_a_tag_links_the_terms_with_it_in_the_api(call, published_term):
    assert call("/api/tags/").json()["results"][0]["api_url"] == "http://testserver/api/terms/?tag=training"


# Errors


def test_an_unknown_api_address_is_a_json_404(call, db):
    assert call("/api/nothing-here/").json()["detail"].startswith("No API endpoint has this address")


def test_an_api_address_without_its_slash_moves_to_it(client, db):
    assert client.get("/api/terms")["Location"] == "/api/terms/"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/", "/api/terms/", "/api/terms/gradient-descent/", "/api/tags/"])
def test_writing_is_a_405(call, published_term, method, url):
    assert call(url, method=method).status_code == 405


def test_a_client_that_accepts_no_json_is_told_so(call, published_term):
    assert call("/api/terms/", HTTP_ACCEPT="application/xml").status_code == 406


def test_head_answers_the_headers_without_a_body(call, published_term):
    response = call("/api/terms/gradient-descent/", method="head")
    assert (response.status_code, response.content) == (200, b"")


def test_too_many_requests_are_a_429_saying_when_to_retry(call, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    # The term list: the page cache answers a tag list asked for again before any throttle is consulted.
    for _ in range(2):
        call("/api/terms/")
    response = call("/api/terms/")
    assert (response.status_code, "Retry-After" in response) == (429, True)


# Caching


def test_an_answer_carries_the_sites_etag(call, published_term):
    assert call("/api/terms/gradient-descent/")["ETag"]


@pytest.mark.parametrize(
    "url", ["/api/", "/api/terms/", "/api/terms/?q=gradient", "/api/terms/gradient-descent/", "/api/tags/"]
)
def test_an_unchanged_answer_is_a_304_for_its_etag(call, published_term, url):
    etag = call(url)["ETag"]
    assert call(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_unchanged_answer_is_a_304_since_its_last_modified(call, published_term):
    last_modified = call("/api/terms/")["Last-Modified"]
    assert call("/api/terms/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_publish_makes_the_old_etag_stale(call, published_term, make_term):
    etag = call("/api/terms/")["ETag"]
    publish(make_term("Backpropagation"), by=None)
    assert call("/api/terms/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_clients_revalidate_every_answer(call, published_term):
    assert call("/api/terms/")["Cache-Control"] == "public, max-age=0, must-revalidate"


# CORS


def test_any_origin_may_read_the_api(call, published_term):
    assert call("/api/terms/", HTTP_ORIGIN=ORIGIN)["Access-Control-Allow-Origin"] == "*"


def test_any_origin_may_read_the_exports(client, db):
    assert client.get("/export/skos.ttl", HTTP_ORIGIN=ORIGIN)["Access-Control-Allow-Origin"] == "*"


def test_the_api_never_shares_credentials_across_origins(call, published_term):
    assert "Access-Control-Allow-Credentials" not in call("/api/terms/", HTTP_ORIGIN=ORIGIN)


def test_a_preflight_allows_reading_methods_only(call, db):
    response = call("/api/terms/", method="options", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_reader_pages_are_not_shared_across_origins(client, published_term):
    assert "Access-Control-Allow-Origin" not in client.get("/terms/gradient-descent/", HTTP_ORIGIN=ORIGIN)


# Query counts: the same at few and at many terms


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The site's state; then the count and the page of terms.
        ("/api/terms/", 3),
        ("/api/terms/?tag=training", 3),
        ("/api/terms/?updated_since=2020-01-01", 3),
        # The site's state; the search's words and tiers; which found terms are deprecated; then the page of terms.
        ("/api/terms/?q=term", 9),
        # The site's state, then the term.
        ("/api/terms/term-1/", 2),
        # The site's state (read by the page cache), then its counts.
        ("/api/tags/", 2),
    ],
)
def test_each_endpoint_runs_a_fixed_number_of_queries(
    call, make_term, relate, django_assert_num_queries, url, queries, size
):
    terms = [make_term(f"Term {number}", tags=["Training", f"Tag {number}"]) for number in range(size)]
    for term in terms[1:]:
        relate(terms[0], term)
        Example.objects.create(term=terms[0], body=f"Example about {term.name}")
    for term in reversed(terms):
        publish(term, by=None)
    with django_assert_num_queries(queries):
        assert call(url).status_code == 200


def test_a_former_address_runs_a_fixed_number_of_queries(call, make_term, django_assert_num_queries):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    # The site's state, the term (none), then the redirect.
    with django_assert_num_queries(3):
        assert call("/api/terms/llm/").status_code == 301


# The documentation page


class Resources(HTMLParser):
    """The addresses a page loads (src and stylesheet or icon links), and whether it has inline script or style."""

    def __init__(self):
        super().__init__()
        self.addresses, self.inline = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs or tag == "style" or (tag == "script" and "src" not in attrs):
            self.inline.append(tag)
        self.addresses += [attrs[name] for name in ("src", "href") if attrs.get(name)]


def resources(client) -> Resources:
    parser = Resources()
    parser.feed(client.get("/api/docs/").content.decode())
    return parser


def test_the_docs_page_loads_only_the_sites_own_files(client, db):
    assert [
        address for address in resources(client).addresses if not address.startswith("/") or address.startswith("//")
    ] == []


def test_the_docs_page_has_no_inline_script_or_style(client, db):
    assert resources(client).inline == []


def test_the_docs_script_asks_no_outside_validator(client, db):
    assert '"validatorUrl": null' in client.get("/api/docs/?script=").content.decode()


def test_a_term_lists_every_label_with_its_kind_hidden_ones_included(call, make_term):
    publish(make_term("Large language model", aliases="LLM\nhidden: langauge model"), by=None)
    response = call("/api/terms/large-language-model/")
    assert response.json()["labels"] == [
        {"name": "LLM", "kind": "abbreviation"},
        {"name": "langauge model", "kind": "hidden"},
    ]


def test_a_terms_aliases_leave_hidden_labels_out(call, make_term):
    publish(make_term("Large language model", aliases="LLM\nhidden: langauge model"), by=None)
    assert call("/api/terms/large-language-model/").json()["aliases"] == ["LLM"]


@pytest.fixture
def deprecated_term(make_term):
    """A published term deprecated in favour of another published one."""
    from terms.deprecation import deprecate

    successor = make_term("Low-rank adaptation")
    old = make_term("Adapter tuning")
    publish(successor, by=None)
    publish(old, by=None)
    deprecate(old, by=None, reason="Replaced by a cheaper method.", replaced_by=[successor])
    return old


def test_a_deprecated_term_matches_the_schema(call, deprecated_term):
    assert call("/api/terms/adapter-tuning/").json()["replaced_by"][0]["slug"] == "low-rank-adaptation"


def test_a_list_with_a_deprecated_term_matches_the_schema(call, deprecated_term):
    assert call("/api/terms/").json()["results"][0]["deprecated"] is True
