"""What a reader sees at each public URL."""

import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from terms.models import Example, Misconception, PublishedTerm, Relation
from terms.publishing import publish, unpublish
from terms.views import server_error


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


PUBLIC_PAGES = [
    # (url, what shows the draft's presence there)
    ("/", "Secret draft"),
    ("/terms/", "Secret draft"),
    ("/terms/secret-draft/", "A draft nobody may read yet."),
    ("/tags/", "Hidden tag"),
    ("/tags/training/", "Secret draft"),
    ("/tags/hidden-tag/", "Secret draft"),
    ("/search/?q=secret", 'href="/terms/secret-draft/"'),
    ("/search/?q=nobody", 'href="/terms/secret-draft/"'),
    ("/search/?q=secrte", 'href="/terms/secret-draft/"'),
    ("/search/suggest?q=secr", "Secret draft"),
]


@pytest.mark.parametrize(("url", "marker"), PUBLIC_PAGES)
def test_draft_is_absent_from_every_public_url(client, published_term, draft_term, url, marker):
    assert marker not in client.get(url).content.decode()


def test_draft_term_page_is_404_for_an_anonymous_reader(client, draft_term):
    assert client.get(f"/terms/{draft_term.slug}/").status_code == 404


def test_draft_term_page_is_404_even_for_a_logged_in_editor(editor_client, draft_term):
    assert editor_client.get(f"/terms/{draft_term.slug}/").status_code == 404


def test_tag_used_only_by_drafts_has_no_page(client, draft_term):
    assert client.get("/tags/hidden-tag/").status_code == 404


def test_tag_used_only_by_drafts_is_not_listed(client, published_term, draft_term):
    assert "Hidden tag" not in page(client, "/tags/")


@pytest.mark.parametrize(("url", "marker"), PUBLIC_PAGES)
def test_published_term_appears_on_every_public_url(client, draft_term, url, marker):
    publish(draft_term, by=None)
    assert marker in page(client, url)


@pytest.mark.parametrize(("url", "marker"), PUBLIC_PAGES)
def test_unpublished_term_disappears_from_every_public_url(client, published_term, draft_term, url, marker):
    publish(draft_term, by=None)
    unpublish(draft_term, by=None)
    assert marker not in client.get(url).content.decode()


def test_term_page_heading_asks_the_question(client, published_term):
    assert "<h1>What is gradient descent?</h1>" in page(client, "/terms/gradient-descent/")


def test_term_page_shows_the_short_definition(client, published_term):
    assert published_term.short_definition in page(client, "/terms/gradient-descent/")


def test_term_page_renders_explanation_paragraphs(client, published_term):
    assert "<p>Second paragraph.</p>" in page(client, "/terms/gradient-descent/")


def test_term_page_escapes_plain_text_fields(client, make_term):
    publish(make_term("Angle brackets", short_definition="Uses <b>bold</b> & more."), by=None)
    assert "Uses &lt;b&gt;bold&lt;/b&gt; &amp; more." in page(client, "/terms/angle-brackets/")


def test_term_page_leaves_out_empty_sections(client, make_term):
    publish(make_term("Bare", explanation=""), by=None)
    html = page(client, "/terms/bare/")
    assert not any(heading in html for heading in ("Analogy", "History", "Example", "misconceptions", "Related"))


def test_term_page_shows_examples_and_misconceptions(client, make_term):
    term = make_term("Rich")
    Example.objects.create(term=term, title="In a hospital", body="Doctors use it.")
    Misconception.objects.create(term=term, claim="It is magic.", correction="It is maths.")
    publish(term, by=None)
    html = page(client, "/terms/rich/")
    assert all(text in html for text in ("In a hospital", "Doctors use it.", "It is magic.", "It is maths."))


def test_term_page_shows_related_terms_with_their_one_liners(client, make_term, relate):
    term, other = make_term("Rich"), make_term("Other", short_definition="The other one-liner.")
    relate(term, other)
    publish(other, by=None)
    publish(term, by=None)
    assert "The other one-liner." in page(client, "/terms/rich/")


def test_related_draft_is_left_out_of_related_terms(client, published_term, draft_term, relate):
    relate(published_term, draft_term)
    publish(published_term, by=None)
    assert draft_term.name not in page(client, "/terms/gradient-descent/")


def test_term_page_links_to_its_tags(client, published_term):
    assert 'href="/tags/training/"' in page(client, "/terms/gradient-descent/")


def test_term_page_has_a_meta_description(client, published_term):
    assert f'<meta name="description" content="{published_term.short_definition}">' in page(
        client, "/terms/gradient-descent/"
    )


def test_unknown_term_is_a_404_in_the_site_design(client, db, settings):
    settings.DEBUG = False
    response = client.get("/terms/no-such-term/")
    assert "We couldn't find that page" in response.content.decode()


def test_unknown_term_answers_404(client, db):
    assert client.get("/terms/no-such-term/").status_code == 404


def test_index_groups_terms_by_initial_letter(client, make_term):
    for name in ("Zebra model", "Apple model", "artefact"):
        publish(make_term(name), by=None)
    # The page's body: its head lists the terms too, in the structured data.
    html = page(client, "/terms/").split("</head>", 1)[1]
    assert (
        html.index('id="letter-A"') < html.index("Apple model") < html.index("artefact") < html.index('id="letter-Z"')
    )


def test_index_shows_each_one_line_definition(client, published_term):
    assert published_term.short_definition in page(client, "/terms/")


def test_home_links_to_letters_that_have_terms(client, published_term):
    assert 'href="/terms/#letter-G"' in page(client, "/")


def test_home_has_a_search_form(client, db):
    assert 'action="/search/"' in page(client, "/")


def test_home_lists_recently_published_terms(client, published_term):
    assert "Recently published" in page(client, "/")


def test_tag_list_shows_counts_of_published_terms(client, published_term, make_term):
    publish(make_term("Another", tags=["Training"]), by=None)
    assert 'aria-label="2 terms">2<' in page(client, "/tags/")


def test_tag_page_lists_its_published_terms(client, published_term):
    assert "Gradient descent" in page(client, "/tags/training/")


def test_unknown_tag_is_a_404(client, db):
    assert client.get("/tags/nothing-here/").status_code == 404


def test_search_finds_a_term_by_alias(client, make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    assert "Large language model" in page(client, "/search/?q=llm")


def test_search_escapes_the_query(client, db):
    assert "&lt;script&gt;" in page(client, "/search/?q=<script>")


def test_search_with_no_match_offers_the_index(client, db):
    assert "No terms match" in page(client, "/search/?q=zzzz")


def test_search_ranks_an_exact_name_first(client, make_term):
    publish(make_term("Token", short_definition="A piece of text."), by=None)
    publish(make_term("Tokenization", short_definition="Splitting text into tokens."), by=None)
    html = page(client, "/search/?q=token")
    assert html.index("/terms/token/") < html.index("/terms/tokenization/")


# Query counts are measured with few and with many rows: the same count at both sizes is what "constant" means.
SIZES = [2, 12]


@pytest.mark.parametrize("size", SIZES)
def test_term_page_query_count_does_not_grow_with_relations(client, make_term, relate, django_assert_num_queries, size):
    term = make_term("Hub", tags=[f"Tag {number}" for number in range(size)])
    for number in range(size):
        other = make_term(f"Spoke {number}")
        relate(term, other, Relation.Kind.RELATED, position=number)
        Example.objects.create(term=term, body=f"Example {number}")
        publish(other, by=None)
    publish(term, by=None)
    # The site's generation, then the term with its related terms.
    with django_assert_num_queries(2):
        assert client.get("/terms/hub/").status_code == 200


@pytest.mark.parametrize(
    ("url", "queries"),
    # The site's generation, its counts, then at most one list of terms.
    [("/", 3), ("/terms/", 3), ("/terms/?letter=T", 3), ("/tags/", 2), ("/tags/training/", 3)],
)
@pytest.mark.parametrize("size", SIZES)
def test_list_pages_run_a_constant_number_of_queries(client, make_term, django_assert_num_queries, url, queries, size):
    for number in range(size):
        publish(make_term(f"Term {number}", tags=["Training", f"Tag {number}"]), by=None)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_index_is_split_into_pages_when_long(client, make_term, settings):
    for number in range(101):
        publish(make_term(f"Term {number:03}"), by=None)
    assert "Term 100" in page(client, "/terms/?page=2")


def test_index_first_page_stops_at_the_page_size(client, make_term):
    for number in range(101):
        publish(make_term(f"Term {number:03}"), by=None)
    assert "Term 100" not in page(client, "/terms/")


def test_index_can_show_one_letter(client, make_term):
    publish(make_term("Apple model"), by=None)
    publish(make_term("Zebra model"), by=None)
    assert "Apple model" not in page(client, "/terms/?letter=Z")


def test_index_with_an_unknown_letter_is_a_404(client, db):
    assert client.get("/terms/?letter=Ж").status_code == 404


def test_index_letter_in_upper_case_is_the_page_itself(client, published_term):
    assert "Gradient descent" in page(client, "/terms/?letter=G")


def test_index_letter_in_lower_case_redirects_to_the_upper_case_address(client, published_term):
    response = client.get("/terms/?letter=g")
    assert response.status_code == 301
    assert response["Location"] == "/terms/?letter=G"


def test_index_letter_in_lower_case_keeps_its_page_number_in_the_redirect(client, published_term):
    response = client.get("/terms/?letter=g&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/terms/?letter=G&page=2"


@pytest.mark.parametrize("letter", ["ı", "ｇ", "ſ"])
def test_index_letter_whose_upper_case_is_a_latin_letter_is_a_404(client, published_term, letter):
    # "ı".upper() is "I", "ſ".upper() is "S": only the ASCII letters a–z name a letter of the index.
    assert client.get("/terms/", {"letter": letter}).status_code == 404


def test_published_layer_is_all_the_term_page_reads(client, published_term):
    PublishedTerm.objects.filter(pk=published_term.pk).update(short_definition="From the published layer.")
    assert "From the published layer." in page(client, reverse("terms:detail", args=[published_term.slug]))


def test_server_error_page_renders_in_the_site_design(client, db):
    assert "Something went wrong on our side" in render_to_string("500.html")


def test_favicon_is_served_at_the_site_root(client, db):
    assert client.get("/favicon.ico").status_code == 200


@pytest.mark.parametrize("url", ["/terms/", "/tags/training/", "/search/?q=angle"])
def test_lists_escape_names_and_definitions(client, make_term, url):
    publish(
        make_term("Angle <i>brackets</i>", slug="angle", short_definition="Uses <b>bold</b>.", tags=["Training"]),
        by=None,
    )
    html = page(client, url)
    assert "&lt;i&gt;brackets&lt;/i&gt;" in html and "Uses &lt;b&gt;bold&lt;/b&gt;." in html and "<i>" not in html


def test_home_counts_published_terms(client, published_term, draft_term):
    assert "1 term from" in client.get("/").content.decode()


def test_tag_list_count_drops_when_a_term_is_unpublished(client, published_term, make_term):
    publish(make_term("Backpropagation", tags=["Training"]), by=None)
    unpublish(published_term, by=None)
    assert 'aria-label="1 term"' in client.get("/tags/").content.decode()


def test_tag_page_is_gone_once_its_last_term_is_unpublished(client, published_term):
    unpublish(published_term, by=None)
    assert client.get("/tags/training/").status_code == 404


def test_letter_without_terms_is_not_a_link_after_unpublishing(client, published_term):
    unpublish(published_term, by=None)
    assert 'href="/terms/#letter-G"' not in client.get("/").content.decode()


def test_recently_published_lists_the_newest_first(client, make_term):
    for name in ("Older term", "Newer term"):
        publish(make_term(name), by=None)
    content = client.get("/").content.decode()
    assert content.index("Newer term") < content.index("Older term")


@pytest.mark.parametrize(("url", "queries"), [("/", 2), ("/terms/", 2), ("/tags/", 1), ("/tags/training/", 2)])
def test_list_pages_read_the_counts_with_the_generation_when_uncached(
    client, published_term, settings, django_assert_num_queries, url, queries
):
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(queries):
        client.get(url)


def test_term_page_links_to_the_previous_term_alphabetically(client, make_term):
    for name in ["Adam", "Dropout", "Momentum"]:
        publish(make_term(name), by=None)
    assert '<a class="term-pager__link term-pager__link--previous" href="/terms/adam/" rel="prev">' in page(
        client, "/terms/dropout/"
    )


def test_term_page_links_to_the_next_term_alphabetically(client, make_term):
    for name in ["Adam", "Dropout", "Momentum"]:
        publish(make_term(name), by=None)
    assert 'href="/terms/momentum/" rel="next"' in page(client, "/terms/dropout/")


def test_the_first_term_has_no_previous_term(client, make_term):
    for name in ["Adam", "Dropout"]:
        publish(make_term(name), by=None)
    assert 'rel="prev"' not in page(client, "/terms/adam/")


def test_previous_and_next_skip_drafts(client, make_term):
    publish(make_term("Adam"), by=None)
    make_term("Batch norm")
    publish(make_term("Dropout"), by=None)
    assert 'href="/terms/dropout/" rel="next"' in page(client, "/terms/adam/")


@pytest.mark.parametrize("section", ["explanation", "analogy", "examples", "misconceptions", "related", "tags"])
def test_each_section_of_a_term_page_has_a_link_to_its_own_anchor(client, make_term, relate, section):
    term = make_term("Dropout", analogy="Like a team training with random absences.", tags=["Training"])
    Example.objects.create(term=term, body="Dropping half the units.")
    Misconception.objects.create(term=term, claim="It slows inference.", correction="It is off at inference.")
    other = make_term("Regularisation")
    relate(term, other)
    publish(other, by=None)
    publish(term, by=None)
    html = page(client, "/terms/dropout/")
    assert f'<section id="{section}"' in html and f'class="section-link" href="#{section}"' in html


def test_pronunciation_is_announced_as_ipa(client, make_term):
    publish(make_term("Fine-tuning", pronunciation="/faɪn ˈtjuːnɪŋ/"), by=None)
    assert "Pronunciation, in the International Phonetic Alphabet:" in page(client, "/terms/fine-tuning/")


def test_pronunciation_comes_with_a_listen_button_hidden_until_the_browser_can_speak(client, make_term):
    publish(make_term("Fine-tuning", pronunciation="/faɪn ˈtjuːnɪŋ/"), by=None)
    assert '<button type="button" class="listen" data-speak="Fine-tuning" hidden>' in page(
        client, "/terms/fine-tuning/"
    )


def test_a_term_without_pronunciation_has_no_listen_button(client, make_term):
    publish(make_term("Dropout"), by=None)
    assert 'class="listen"' not in page(client, "/terms/dropout/")


def test_term_page_meta_description_is_its_one_liner(client, make_term):
    publish(make_term("Dropout", short_definition="Switching off random units while training."), by=None)
    assert '<meta name="description" content="Switching off random units while training.">' in page(
        client, "/terms/dropout/"
    )


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "AI Glossary: the words of AI, explained in plain English"),
        ("/terms/", "All terms A–Z · AI Glossary"),
        ("/terms/?letter=D", "Terms starting with D · AI Glossary"),
        ("/terms/dropout/", "What is dropout? · AI Glossary"),
        ("/tags/training/", "Training · Tags · AI Glossary"),
    ],
)
def test_each_page_has_a_title_of_its_own(client, make_term, url, title):
    publish(make_term("Dropout", tags=["Training"]), by=None)
    assert f"<title>{title}</title>" in page(client, url)


def test_a_letter_of_the_index_has_a_description_of_its_own(client, make_term):
    publish(make_term("Dropout"), by=None)
    assert "The AI Glossary's terms that start with D, each with its one-line definition." in page(
        client, "/terms/?letter=D"
    )


BAD_PAGE_NUMBERS = ["²", "¹", "①", "٣", "-1", "0", "01", "1.5", "x", "99999999999999999999", "9" * 5000]


PAGED_URLS = [("/terms/", {}), ("/terms/", {"letter": "G"}), ("/tags/training/", {}), ("/search/", {"q": "gradient"})]


@pytest.mark.parametrize(("url", "params"), PAGED_URLS)
@pytest.mark.parametrize("number", BAD_PAGE_NUMBERS, ids=lambda number: number[:20])
def test_a_page_number_that_is_not_one_of_the_pages_is_a_404(client, published_term, url, params, number):
    assert client.get(url, {**params, "page": number}).status_code == 404


@pytest.mark.parametrize("url", ["/terms/?page=2", "/terms/?letter=G&page=2", "/tags/training/?page=2"])
def test_a_page_past_the_last_is_a_404(client, published_term, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/terms/?page=1", "/terms/?letter=G&page=1", "/tags/training/?page=1"])
def test_the_first_page_may_be_asked_for_by_number(client, published_term, url):
    assert "Gradient descent" in page(client, url)


def test_search_can_be_asked_for_its_second_page(client, make_term):
    for number in range(21):
        publish(make_term(f"Model {number:02}"), by=None)
    assert 'rel="prev"' in page(client, "/search/?q=model&page=2")


def test_search_past_its_last_possible_page_is_a_404(client, published_term):
    assert client.get("/search/?q=gradient&page=11").status_code == 404


def test_a_server_error_in_the_api_is_json(rf):
    response = server_error(rf.get("/api/terms/"))
    assert (response.status_code, json.loads(response.content)["detail"]) == (
        500,
        "Something went wrong on our side; it has been logged.",
    )


def test_a_server_error_on_a_page_is_the_sites_html_page(rf):
    response = server_error(rf.get("/terms/"))
    assert (response.status_code, "Something went wrong on our side" in response.content.decode()) == (500, True)
