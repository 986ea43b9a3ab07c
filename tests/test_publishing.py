"""publish and unpublish: the only way content reaches readers."""

import pytest
from django.core.exceptions import ValidationError

from terms.models import Example, Misconception, PublishedImage, PublishedTerm, Revision, Term
from terms.publishing import publish, unpublish
from terms.rows import initial_letter


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


def test_republishing_keeps_the_first_published_date(published_term, edit):
    first = PublishedTerm.objects.get(pk=published_term.pk).first_published_at
    edit(published_term, analogy="Walking downhill at night.")
    publish(published_term, by=None)
    assert PublishedTerm.objects.get(pk=published_term.pk).first_published_at == first


def test_publish_records_who_published_in_a_revision(draft_term, reviewer):
    publish(draft_term, by=reviewer, message="Checked the dates.")
    revision = Revision.objects.filter(term=draft_term).first()
    assert (revision.created_by, revision.message, revision.action) == (reviewer, "Checked the dates.", "publish")


def test_revision_keeps_the_full_editorial_content(published_term):
    snapshot = Revision.objects.get(term=published_term).snapshot
    assert snapshot["tags"] == ["Training"]


def test_publish_uses_the_saved_copy_not_unsaved_changes(draft_term):
    draft_term.short_definition = "Typed but never saved."
    publish(draft_term, by=None)
    assert PublishedTerm.objects.get(pk=draft_term.pk).short_definition == "A draft nobody may read yet."


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


@pytest.mark.parametrize(("name", "letter"), [("fine-tuning", "F"), ("Élan", "E"), ("3D", "#"), ("Ωmega", "#")])
def test_initial_letter_files_names_under_a_to_z_or_hash(name, letter):
    assert initial_letter(name) == letter


# Nothing to publish ------------------------------------------------------------------------------------------------


def test_publishing_a_term_readers_already_see_is_refused(published_term):
    with pytest.raises(ValidationError, match="Nothing to publish: readers already see this version."):
        publish(published_term, by=None)


def test_refused_publishing_of_an_unchanged_term_records_no_revision(published_term):
    with pytest.raises(ValidationError):
        publish(published_term, by=None)
    assert Revision.objects.filter(term=published_term).count() == 1


def test_refused_publishing_of_an_unchanged_term_records_no_review_note(published_term):
    with pytest.raises(ValidationError):
        publish(published_term, by=None)
    assert published_term.review_notes.count() == 1


def test_a_term_edited_since_it_was_published_publishes(published_term, edit):
    edit(published_term, analogy="Walking downhill at night.")
    publish(published_term, by=None)
    assert PublishedTerm.objects.get(pk=published_term.pk).analogy_html == "<p>Walking downhill at night.</p>"


def test_a_term_edited_back_to_the_live_version_has_nothing_to_publish(published_term, edit):
    edit(published_term, analogy="Walking downhill at night.")
    edit(published_term, analogy="Walking downhill in fog.")
    with pytest.raises(ValidationError, match="Nothing to publish"):
        publish(published_term, by=None)


def test_an_unpublished_term_can_be_published_again(published_term):
    unpublish(published_term, by=None)
    publish(published_term, by=None)
    assert PublishedTerm.objects.filter(pk=published_term.pk).exists()


def test_publishing_again_writes_an_unchanged_page_anew(published_term):
    publish(published_term, by=None, again=True)
    assert Revision.objects.filter(term=published_term, action=Revision.Action.PUBLISH).count() == 2


def test_publishing_records_the_version_it_published_in_its_review_note(draft_term):
    publish(draft_term, by=None)
    assert draft_term.review_notes.get().edit_version == draft_term.edit_version


# The images a page shows -----------------------------------------------------------------------------------------------

PLOT = f"{'0' * 64}-640x480.png"
CHART = f"{'1' * 64}-10x20.gif"


def page_images(term: Term) -> list[str]:
    return sorted(PublishedImage.objects.filter(term_id=term.pk).values_list("name", flat=True))


def test_publishing_records_each_image_the_page_shows_once(make_term):
    term = make_term("Plot", explanation=f"![A plot](/media/images/{PLOT})\n\n![It again](/media/images/{PLOT})")
    Example.objects.create(term=term, body=f"![A chart](/media/images/{CHART})")
    publish(term, by=None)
    assert page_images(term) == [PLOT, CHART]


def test_publishing_again_replaces_the_images_the_page_showed(make_term):
    term = make_term("Plot", explanation=f"![A plot](/media/images/{PLOT})")
    publish(term, by=None)
    Term.objects.filter(pk=term.pk).update(explanation=f"![A chart](/media/images/{CHART})")
    publish(term, by=None)
    assert page_images(term) == [CHART]


def test_unpublishing_forgets_the_images_the_page_showed(make_term):
    term = make_term("Plot", explanation=f"![A plot](/media/images/{PLOT})")
    publish(term, by=None)
    unpublish(term, by=None)
    assert PublishedImage.objects.count() == 0
