"""publish and unpublish: the only way content reaches readers."""

import pytest
from django.core.exceptions import ValidationError

from terms.bulk_publishing import publish_new_in_bulk
from terms.models import Example, Misconception, PublishedRedirect, PublishedTerm, Relation, Revision, Term
from terms.publishing import Draft, initial_letter, publish, unpublish
from terms.workflow import record_save


def test_publish_makes_the_term_published(make_term):
    term = make_term()
    publish(term, by=None)
    assert Term.objects.get(pk=term.pk).status == Term.Status.PUBLISHED


def test_publish_renders_markdown_to_html(make_term):
    term = make_term(usage="Used **widely**.")
    published = publish(term, by=None)
    assert published.usage_html == "<p>Used <strong>widely</strong>.</p>"


def test_publish_turns_blank_lines_into_paragraphs(make_term):
    published = publish(make_term(explanation="One.\n\nTwo."), by=None)
    assert published.explanation_html == "<p>One.</p>\n<p>Two.</p>"


def test_publish_copies_examples_and_misconceptions_in_order(make_term):
    term = make_term()
    Example.objects.create(term=term, position=2, body="Second")
    Example.objects.create(term=term, position=1, title="First one", body="First")
    Misconception.objects.create(term=term, claim="It is magic.", correction="It is *maths*.")
    published = publish(term, by=None)
    assert [e["title"] for e in published.examples] == ["First one", ""]
    assert published.misconceptions == [{"claim": "It is magic.", "html": "<p>It is <em>maths</em>.</p>"}]


def test_editing_a_published_term_does_not_change_what_readers_see(published_term):
    published_term.short_definition = "An unreviewed rewrite."
    published_term.save()
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition == (
        "The one-line definition of Gradient descent."
    )


def test_republishing_updates_what_readers_see(published_term):
    published_term.short_definition = "A reviewed rewrite."
    published_term.save()
    publish(published_term, by=None)
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition == "A reviewed rewrite."


def test_republishing_keeps_the_first_published_date(published_term):
    first = PublishedTerm.objects.get(pk=published_term.pk).first_published_at
    publish(published_term, by=None)
    assert PublishedTerm.objects.get(pk=published_term.pk).first_published_at == first


def test_publish_records_who_published_in_a_revision(published_term, reviewer):
    publish(published_term, by=reviewer, message="Checked the dates.")
    revision = Revision.objects.filter(term=published_term).first()
    assert (revision.created_by, revision.message, revision.action) == (reviewer, "Checked the dates.", "publish")


def test_revision_keeps_the_full_editorial_content(published_term):
    snapshot = Revision.objects.get(term=published_term).snapshot
    assert snapshot["tags"] == ["Training"]


def test_publish_uses_the_saved_copy_not_unsaved_changes(published_term):
    published_term.short_definition = "Typed but never saved."
    publish(published_term, by=None)
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition == (
        "The one-line definition of Gradient descent."
    )


def test_publishing_an_invalid_term_raises_and_changes_nothing(make_term):
    term = make_term()
    Term.objects.filter(pk=term.pk).update(slug="not a slug!")
    with pytest.raises(ValidationError, match="slug"):
        publish(term, by=None)
    assert not PublishedTerm.objects.exists()


def test_publishing_a_term_with_an_invalid_part_raises_and_changes_nothing(make_term):
    term = make_term()
    Example.objects.create(term=term, body="")
    with pytest.raises(ValidationError, match="Example"):
        publish(term, by=None)
    assert Term.objects.get(pk=term.pk).status == Term.Status.DRAFT


def test_publish_refuses_a_slug_still_used_by_another_published_term(make_term, published_term):
    Term.objects.filter(pk=published_term.pk).update(slug="gradient-descent-old")
    newcomer = make_term("Gradient descent (new)", slug="gradient-descent")
    with pytest.raises(ValidationError, match="still used by the published term"):
        publish(newcomer, by=None)


def test_unpublish_removes_the_term_from_the_published_layer(published_term):
    unpublish(published_term, by=None)
    assert not PublishedTerm.objects.filter(pk=published_term.pk).exists()


def test_unpublish_returns_the_term_to_draft(published_term):
    unpublish(published_term, by=None)
    assert Term.objects.get(pk=published_term.pk).status == Term.Status.DRAFT


def test_unpublish_records_a_revision(published_term, reviewer):
    unpublish(published_term, by=reviewer)
    assert Revision.objects.filter(term=published_term, action="unpublish", created_by=reviewer).exists()


def test_unpublishing_a_draft_says_it_was_not_published(draft_term):
    assert unpublish(draft_term, by=None) is False


def test_unpublishing_a_draft_keeps_its_name(draft_term):
    unpublish(draft_term, by=None)
    assert Term.objects.get(pk=draft_term.pk).name == "Secret draft"


def test_unpublishing_a_draft_records_no_revision(draft_term):
    unpublish(draft_term, by=None)
    assert list(Revision.objects.filter(term=draft_term).values_list("action", flat=True)) == []


def related_of(published) -> list[dict]:
    """The "Related terms" groups stored on the term's published row, as the page reads them now."""
    return PublishedTerm.objects.get(pk=published.pk).related


def test_relation_to_a_draft_is_not_shown(make_term, relate):
    live, draft, shown = make_term("Live"), make_term("Draft"), make_term("Shown")
    relate(live, draft)
    relate(live, shown, position=2)
    publish(shown, by=None)
    published = publish(live, by=None)
    assert [t["name"] for t in related_of(published)[0]["terms"]] == ["Shown"]


def test_relation_appears_once_its_target_is_published(make_term, relate):
    live, later = make_term("Live"), make_term("Later")
    relate(live, later)
    published = publish(live, by=None)
    publish(later, by=None)
    groups = related_of(published)
    assert [t["name"] for t in groups[0]["terms"]] == ["Later"]


def test_relation_disappears_when_its_target_is_unpublished(make_term, relate):
    live, other, kept = make_term("Live"), make_term("Other"), make_term("Kept")
    relate(live, other)
    relate(live, kept, position=2)
    published = publish(live, by=None)
    publish(other, by=None)
    publish(kept, by=None)
    unpublish(other, by=None)
    assert [t["name"] for t in related_of(published)[0]["terms"]] == ["Kept"]


def test_broader_relation_shows_as_narrower_on_the_other_page(make_term, relate):
    lora, fine_tuning = make_term("LoRA"), make_term("Fine-tuning")
    relate(lora, fine_tuning, Relation.Kind.BROADER)
    publish(lora, by=None)
    other_side = publish(fine_tuning, by=None)
    groups = related_of(other_side)
    assert [(g["kind"], [t["name"] for t in g["terms"]]) for g in groups] == [("narrower", ["LoRA"])]


def test_related_is_symmetric(make_term, relate):
    a, b = make_term("Alpha"), make_term("Beta")
    relate(a, b)
    publish(a, by=None)
    groups = related_of(publish(b, by=None))
    assert [(g["kind"], [t["name"] for t in g["terms"]]) for g in groups] == [("related", ["Alpha"])]


def test_relation_written_both_ways_is_shown_once(make_term, relate):
    a, b = make_term("Alpha"), make_term("Beta")
    relate(a, b)
    relate(b, a)
    published_a = publish(a, by=None)
    publish(b, by=None)
    groups = related_of(published_a)
    assert [t["name"] for t in groups[0]["terms"]] == ["Beta"]


def test_incoming_relation_from_an_unpublished_term_is_not_shown(make_term, relate):
    a, b, c = make_term("Alpha"), make_term("Beta"), make_term("Gamma")
    relate(a, b)
    relate(c, b)
    publish(a, by=None)
    publish(c, by=None)
    published_b = publish(b, by=None)
    unpublish(a, by=None)
    assert [t["name"] for t in related_of(published_b)[0]["terms"]] == ["Gamma"]


@pytest.mark.parametrize(("name", "letter"), [("fine-tuning", "F"), ("Élan", "E"), ("3D", "#"), ("Ωmega", "#")])
def test_initial_letter_files_names_under_a_to_z_or_hash(name, letter):
    assert initial_letter(name) == letter


def test_renaming_a_term_updates_the_related_lists_that_show_it(make_term, relate):
    a, b = make_term("Alpha"), make_term("Beta")
    relate(a, b)
    published_a = publish(a, by=None)
    publish(b, by=None)
    b.name = "Bravo"
    b.save()
    publish(b, by=None)
    assert [t["name"] for t in related_of(published_a)[0]["terms"]] == ["Bravo"]


def test_removing_a_relation_updates_the_other_page(make_term, relate):
    a, b, c = make_term("Alpha"), make_term("Beta"), make_term("Gamma")
    relate(a, b)
    relate(c, b)
    publish(a, by=None)
    publish(c, by=None)
    published_b = publish(b, by=None)
    a.relations.all().delete()
    publish(a, by=None)
    assert [t["name"] for t in related_of(published_b)[0]["terms"]] == ["Gamma"]


# Aliases and former addresses ----------------------------------------------------------------------------------------


def redirect_of(client, slug: str) -> tuple[int, str]:
    response = client.get(f"/terms/{slug}/")
    return response.status_code, response.get("Location", "")


def test_an_alias_of_an_unpublished_term_leads_to_the_next_term_that_claims_it(client, make_term):
    first = make_term("Large language model", aliases="LLM")
    publish(first, by=None)
    unpublish(first, by=None)
    publish(make_term("Language model", aliases="LLM"), by=None)
    assert redirect_of(client, "llm") == (301, "/terms/language-model/")


def test_unpublishing_a_term_removes_its_alias_addresses(make_term):
    term = make_term("Large language model", aliases="LLM")
    publish(term, by=None)
    unpublish(term, by=None)
    assert list(PublishedRedirect.objects.values_list("slug", flat=True)) == []


def test_unpublishing_a_term_removes_its_former_addresses(make_term):
    term = make_term("Gradient descent")
    publish(term, by=None)
    Term.objects.filter(pk=term.pk).update(slug="steepest-descent")
    publish(term, by=None)
    unpublish(term, by=None)
    assert list(PublishedRedirect.objects.values_list("slug", flat=True)) == []


def test_republishing_a_term_brings_its_aliases_back(client, make_term):
    term = make_term("Large language model", aliases="LLM")
    publish(term, by=None)
    unpublish(term, by=None)
    publish(term, by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_publishing_an_alias_another_published_term_has_is_refused(make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    with pytest.raises(ValidationError, match="already an alias of .*Large language model"):
        publish(make_term("Language model", aliases="LLM"), by=None)


def test_a_refused_alias_leaves_the_address_with_the_term_that_had_it(client, make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    with pytest.raises(ValidationError):
        publish(make_term("Language model", aliases="LLM"), by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_a_refused_alias_publishes_nothing_of_the_term(make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    newcomer = make_term("Language model", aliases="LLM")
    with pytest.raises(ValidationError):
        publish(newcomer, by=None)
    assert Term.objects.get(pk=newcomer.pk).status == Term.Status.DRAFT


def test_aliases_spelled_differently_with_one_address_are_refused(make_term):
    publish(make_term("Large language model", aliases="L.L.M."), by=None)
    with pytest.raises(ValidationError, match="The alias “LLM” would lead /terms/llm/ here"):
        publish(make_term("Language model", aliases="LLM"), by=None)


def test_an_alias_takes_over_another_terms_former_address(client, make_term):
    renamed = make_term("Gradient descent", slug="llm")
    publish(renamed, by=None)
    Term.objects.filter(pk=renamed.pk).update(slug="gradient-descent")
    publish(renamed, by=None)
    publish(make_term("Large language model", aliases="LLM"), by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_a_former_address_does_not_take_over_another_terms_alias(client, make_term):
    renamed = make_term("Gradient descent", slug="llm")
    publish(renamed, by=None)
    publish(make_term("Large language model", aliases="LLM"), by=None)
    Term.objects.filter(pk=renamed.pk).update(slug="gradient-descent")
    publish(renamed, by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_an_alias_left_behind_by_a_term_unpublished_long_ago_is_claimed(client, make_term):
    gone = make_term("Large language model", aliases="LLM")
    PublishedRedirect.objects.create(slug="llm", term_id=gone.pk, kind=PublishedRedirect.Kind.ALIAS)
    publish(make_term("Language model", aliases="LLM"), by=None)
    assert redirect_of(client, "llm") == (301, "/terms/language-model/")


def test_a_term_named_after_a_live_terms_alias_is_not_published(make_term):
    publish(make_term("Beta Quux", aliases="Xylo Quux"), by=None)
    with pytest.raises(ValidationError, match="“Xylo Quux” is an alias of"):
        publish(make_term("Xylo Quux"), by=None)


def test_a_live_terms_alias_keeps_leading_to_it_when_a_term_named_after_it_is_refused(client, make_term):
    publish(make_term("Beta Quux", aliases="Xylo Quux"), by=None)
    with pytest.raises(ValidationError):
        publish(make_term("Xylo Quux"), by=None)
    assert redirect_of(client, "xylo-quux") == (301, "/terms/beta-quux/")


def test_bulk_publishing_refuses_an_alias_another_published_term_has(make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    with pytest.raises(ValidationError, match="already leads to “Large language model”"):
        publish_new_in_bulk([Draft.load(make_term("Language model", aliases="LLM"))], by=None)


def test_bulk_publishing_refuses_two_new_terms_with_one_alias(make_term):
    drafts = [Draft.load(make_term(name, aliases="LLM")) for name in ("Large language model", "Language model")]
    with pytest.raises(ValidationError, match="already leads to “Large language model”"):
        publish_new_in_bulk(drafts, by=None)


def test_bulk_publishing_leads_each_alias_to_its_term(client, make_term):
    publish_new_in_bulk([Draft.load(make_term("Large language model", aliases="LLM"))], by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_bulk_publishing_numbers_a_new_terms_revision_one(make_term):
    publish_new_in_bulk([Draft.load(make_term("Large language model"))], by=None)
    assert Revision.objects.get().number == 1


def test_bulk_publishing_numbers_a_revision_after_the_terms_saves(make_term):
    term = make_term("Large language model")
    record_save(term, by=None)
    publish_new_in_bulk([Draft.load(term)], by=None)
    assert Revision.objects.get(action=Revision.Action.PUBLISH).number == 2
