"""Related terms, shown both ways on the published pages (terms/related.py), kept up to date by publishing."""

from terms.models import PublishedTerm, Relation
from terms.publishing import publish, unpublish


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
