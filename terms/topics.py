"""Tags named after a concept, and the terms that define them: the tag's page leads readers there."""

from .linking import first_word, name_key
from .models.published import PublishedName


def topic_terms(tag_names: list[str]) -> dict[str, dict]:
    """The listed term each tag is named after, by tag name: "Generative AI", or "Neural network" for "Neural networks".

    Matched as cross-links match names, through the index on their first word: the tag's page
    then leads readers to the term that defines its topic. One query.
    """
    wanted: dict[str, str] = {}
    for name in tag_names:
        key = name_key(name)
        wanted.setdefault(key, name)
        if key.endswith("s"):
            wanted.setdefault(key[:-1], name)  # a topic is often the plural of the term's name
    words = {word for word in map(first_word, wanted) if word is not None}
    rows = (
        PublishedName.objects.filter(first_word__in=words, term__deprecated_at__isnull=True)
        .order_by("term__sort_name", "term__slug")
        .values_list("name", "term__slug", "term__title", "term__short_definition")
    )
    topics: dict[str, dict] = {}
    for name, slug, title, short_definition in rows:
        tag_name = wanted.get(name_key(name))
        if tag_name is not None:
            topics.setdefault(tag_name, {"slug": slug, "title": title, "short_definition": short_definition})
    return topics
