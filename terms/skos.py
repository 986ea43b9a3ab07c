"""The glossary as SKOS (rdflib): records in, Turtle or JSON-LD out, and Turtle back to records.

One `skos:ConceptScheme` (the site, identified by its A–Z index) and one `skos:Concept` per record, whose IRI is the term's page.
SKOS has no "not to be confused with": a contrast is written as `rdfs:seeAlso` and read back as one
when it points at a concept of the file. SKOS keeps no order and no example titles, and has no place
for explanations, analogies, misconceptions, pronunciations or tags: `SKOS_KEYS` names what it carries.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, NamespaceManager
from rdflib.term import Node

from .addresses import term_url
from .context_processors import SITE_DESCRIPTION, SITE_NAME
from .enums import KIND_ORDER, LabelKind, RelationKind
from .labels import Label, default_kind, label_line, parse_labels
from .records import record_order, title_of

logger = logging.getLogger(__name__)

# The record keys a SKOS file carries, in record order; an importer keeps the others as they are.
SKOS_KEYS = ("name", "slug", "short_definition", "aliases", "usage", "history", "examples", "relations")
LANGUAGE = "en"
RELATION_PROPERTIES = {
    RelationKind.BROADER: SKOS.broader,
    RelationKind.NARROWER: SKOS.narrower,
    RelationKind.RELATED: SKOS.related,
    RelationKind.CONTRAST: RDFS.seeAlso,
}
KIND_OF_PROPERTY = {prop: kind for kind, prop in RELATION_PROPERTIES.items()}
# Short names in Turtle and JSON-LD, as SKOS tools write them.
PREFIXES = {"skos": str(SKOS), "dct": str(DCTERMS), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL)}


class SkosError(ValueError):
    """A SKOS file that cannot be read as glossary records; the message says why."""


def scheme_iri() -> URIRef:
    """The concept scheme's IRI: the A–Z index, which schema.org's DefinedTermSet names too."""
    return URIRef(settings.SITE_URL + reverse("terms:index"))


def concept_iri(slug: str) -> URIRef:
    """A concept's IRI: its term's page."""
    return URIRef(settings.SITE_URL + term_url(slug))


Description = tuple[URIRef, list[tuple[URIRef, Node]]]


def descriptions(
    records: Iterable[dict],
    *,
    modified: Mapping[str, datetime] | None = None,
    changed_at: datetime | None = None,
    neighbours: Iterable[dict] = (),
) -> Iterator[Description]:
    """The records as a SKOS concept scheme: each resource with its (predicate, object) pairs, the scheme first.

    `modified`: when each term (by slug) last changed, as `dct:modified`; `changed_at`: the scheme's.
    `neighbours`: partial records ({"name", "slug"} and perhaps "relations") of terms the records link
    to or from, labelled and linked but not described; a relation to a term in neither is left out.
    """
    records, neighbours, modified = list(records), list(neighbours), modified or {}
    scheme = scheme_iri()
    iris = {title_of(record): concept_iri(record["slug"]) for record in [*neighbours, *records]}
    edges = hierarchy(records + neighbours, iris)
    tops = [iris[title_of(record)] for record in records if not edges.has_broader(iris[title_of(record)])]
    yield (
        scheme,
        [
            (RDF.type, SKOS.ConceptScheme),
            (DCTERMS.title, Literal(SITE_NAME, lang=LANGUAGE)),
            (DCTERMS.description, Literal(SITE_DESCRIPTION, lang=LANGUAGE)),
            *([(DCTERMS.modified, Literal(changed_at, datatype=XSD.dateTime))] if changed_at else []),
            *((SKOS.hasTopConcept, top) for top in tops),
        ],
    )
    tops = set(tops)
    for record in records:
        iri = iris[title_of(record)]
        pairs = [*labelled(record, iri, scheme, iris, edges), *notes(record), *deprecation(record, iris)]
        if record["slug"] in modified:
            pairs.append((DCTERMS.modified, Literal(modified[record["slug"]], datatype=XSD.dateTime)))
        if iri in tops:
            pairs.append((SKOS.topConceptOf, scheme))
        yield iri, pairs
    for neighbour in neighbours:
        yield iris[title_of(neighbour)], labelled(neighbour, iris[title_of(neighbour)], scheme, iris, edges)


def labelled(record: dict, iri: URIRef, scheme: URIRef, iris: Mapping[str, URIRef], edges: "Hierarchy") -> list:
    """A concept's type, scheme, label and links to the other concepts.

    The label is the title, "Attention (psychology)", as subject headings qualify theirs: no two
    concepts of the scheme share a preferred label.
    """
    pairs = [
        (RDF.type, SKOS.Concept),
        (SKOS.inScheme, scheme),
        (SKOS.prefLabel, Literal(title_of(record), lang=LANGUAGE)),
    ]
    for relation in record.get("relations", []):
        target = iris.get(relation["term"])
        if target is not None and edges.kept(iri, target, relation["kind"]):
            pairs.append((RELATION_PROPERTIES[relation["kind"]], target))
    return pairs


def notes(record: dict) -> list:
    """What SKOS says of a term besides its label and links."""
    texts = (
        *(
            (SKOS.altLabel if label.shown else SKOS.hiddenLabel, label.name)
            for label in parse_labels("\n".join(record.get("aliases", [])))
        ),
        (SKOS.definition, record.get("short_definition", "")),
        (SKOS.scopeNote, record.get("usage", "")),
        (SKOS.historyNote, record.get("history", "")),
        *((SKOS.example, example["body"]) for example in record.get("examples", [])),
    )
    # The markdown as it was written: plain text to SKOS tools, and the same markdown read back.
    return [(prop, Literal(text, lang=LANGUAGE)) for prop, text in texts if text.strip()]


def deprecation(record: dict, iris: Mapping[str, URIRef]) -> list:
    """A deprecated concept (`owl:deprecated`) and the concepts that replace it (`dct:isReplacedBy`)."""
    if not record.get("deprecated"):
        return []
    successors = (iris.get(name) for name in record.get("replaced_by", []))
    return [
        (OWL.deprecated, Literal(True)),
        *((DCTERMS.isReplacedBy, successor) for successor in successors if successor is not None),
    ]


def graph(records: Iterable[dict], **options) -> Graph:
    """The records as an rdflib Graph of SKOS (options as for `descriptions`)."""
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.addN(
        (subject, predicate, value, g)
        for subject, pairs in descriptions(records, **options)
        for predicate, value in pairs
    )
    return g


class Hierarchy:
    """The broader links among the records, without any that would close a loop."""

    def __init__(self):
        self.broader: dict[Node, set[Node]] = defaultdict(set)
        self.dropped: set[tuple[Node, Node]] = set()

    def add(self, narrower: Node, broader: Node) -> None:
        if broader in self.broader[narrower] or (narrower, broader) in self.dropped:
            return
        if narrower == broader or self.reaches(broader, narrower):
            self.dropped.add((narrower, broader))
            logger.warning("SKOS export: left out %s skos:broader %s, which would close a loop", narrower, broader)
            return
        self.broader[narrower].add(broader)

    def reaches(self, start: Node, goal: Node) -> bool:
        """Whether `goal` is among the broader concepts of `start`, through any chain."""
        seen, todo = {start}, [start]
        while todo:
            for above in self.broader.get(todo.pop(), ()):
                if above == goal:
                    return True
                if above not in seen:
                    seen.add(above)
                    todo.append(above)
        return False

    def kept(self, iri: Node, target: Node, kind: str) -> bool:
        """Whether a relation stays in the export: all do but the broader links that would close a loop."""
        if kind == RelationKind.BROADER:
            return (iri, target) not in self.dropped
        if kind == RelationKind.NARROWER:
            return (target, iri) not in self.dropped
        return True

    def has_broader(self, iri: Node) -> bool:
        return bool(self.broader.get(iri))


def hierarchy(records: list[dict], iris: Mapping[str, URIRef]) -> Hierarchy:
    """The records' broader links, in record order, leaving out each that would close a loop.

    Publishing refuses loops among working copies; the published layer could still hold one made
    of two publishes of different days, and an export must never hand one on.
    """
    edges = Hierarchy()
    for record in records:
        iri = iris[title_of(record)]
        for relation in record.get("relations", []):
            target = iris.get(relation["term"])
            if target is None:
                continue
            if relation["kind"] == RelationKind.BROADER:
                edges.add(iri, target)
            elif relation["kind"] == RelationKind.NARROWER:
                edges.add(target, iri)
    return edges


class Writer:
    """Writes rdflib terms as Turtle does, vocabulary IRIs short (`skos:Concept`), each IRI worked out once."""

    def __init__(self):
        self.names = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            self.names.bind(prefix, namespace)
        self.iris: dict[URIRef, str] = {}

    def iri(self, value: URIRef) -> str:
        if value not in self.iris:
            self.iris[value] = self.names.normalizeUri(value)
        return self.iris[value]

    def n3(self, value: Node) -> str:
        return self.iri(value) if isinstance(value, URIRef) else value.n3(self.names)


def turtle(records: Iterable[dict], **options) -> str:
    """The records as SKOS in Turtle (options as for `descriptions`).

    Written a resource at a time, each term through rdflib's own N3 writing (and escaping): building
    and serialising an rdflib Graph of 10,000 terms takes about 16 s on the benchmark machine, this 2.
    """
    writer = Writer()
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items()]
    for subject, pairs in descriptions(records, **options):
        objects = defaultdict(list)
        for predicate, value in pairs:
            objects[predicate].append(writer.n3(value))
        body = " ;\n    ".join(
            f"{'a' if predicate == RDF.type else writer.iri(predicate)} {', '.join(values)}"
            for predicate, values in objects.items()
        )
        lines.append(f"\n{writer.iri(subject)} {body} .")
    return "\n".join(lines) + "\n"


def jsonld(records: Iterable[dict], **options) -> str:
    """The records as SKOS in JSON-LD, compacted with the same prefixes (options as for `descriptions`)."""
    writer = Writer()
    nodes = []
    for subject, pairs in descriptions(records, **options):
        node = {"@id": str(subject)}
        for predicate, value in pairs:
            if predicate == RDF.type:
                node["@type"] = writer.iri(value)
            else:
                node.setdefault(writer.iri(predicate), []).append(jsonld_value(value, writer))
        nodes.append(node)
    return json.dumps({"@context": PREFIXES, "@graph": nodes}, ensure_ascii=False, indent=2) + "\n"


def jsonld_value(value: Node, writer: Writer) -> dict:
    """An object in expanded JSON-LD form: an IRI, a text in a language, or a typed value."""
    if isinstance(value, URIRef):
        return {"@id": str(value)}
    if value.language:
        return {"@value": str(value), "@language": value.language}
    return {"@value": str(value), "@type": writer.iri(value.datatype)}


def records_from_turtle(text: str) -> list[dict]:
    """The concepts of a SKOS Turtle file as records, with the keys in SKOS_KEYS; SkosError if it cannot be read."""
    g = Graph()
    try:
        g.parse(data=text, format="turtle")
    except Exception as error:  # rdflib's parser raises its own BadSyntax, or plain errors on a cut-off file
        raise SkosError(f"The file is not valid Turtle: {error}") from None
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    names = {}
    for concept in concepts:
        label = best(g.objects(concept, SKOS.prefLabel))
        if not label:
            raise SkosError(f"The concept <{concept}> has no skos:prefLabel: every term needs a name.")
        names[concept] = label
    records = [record_of(g, concept, names) for concept in concepts]
    records.sort(key=record_order)
    return records


def record_of(g: Graph, concept: Node, names: Mapping[Node, str]) -> dict:
    """One concept as a record."""
    relations = []
    for prop, kind in KIND_OF_PROPERTY.items():
        for target in g.objects(concept, prop):
            if target in names:
                relations.append({"kind": str(kind), "term": names[target]})
            elif prop != RDFS.seeAlso:  # seeAlso may point at any web page; only a concept is a contrast
                raise SkosError(
                    f"The concept “{names[concept]}” has skos:{kind} <{target}>, which is not a concept of this file."
                )
    # SKOS keeps no order: the kinds come as the page groups them, each A–Z.
    relations.sort(key=lambda relation: (KIND_ORDER.index(relation["kind"]), relation["term"].casefold()))
    return {
        "name": names[concept],
        "slug": slug_of(concept),
        "short_definition": best(g.objects(concept, SKOS.definition)),
        "aliases": [
            *(label_line(Label(name, default_kind(name))) for name in sorted_labels(g, concept, SKOS.altLabel)),
            *(label_line(Label(name, LabelKind.HIDDEN)) for name in sorted_labels(g, concept, SKOS.hiddenLabel)),
        ],
        "usage": best(g.objects(concept, SKOS.scopeNote)),
        "history": best(g.objects(concept, SKOS.historyNote)),
        "examples": [{"title": "", "body": body} for body in sorted(in_language(g.objects(concept, SKOS.example)))],
        "relations": relations,
    }


def slug_of(concept: Node) -> str:
    """The slug in a term page's IRI, whichever site it came from; "" for another vocabulary's IRI."""
    try:
        match = resolve(urlsplit(str(concept)).path)
    except Resolver404:
        return ""
    return match.kwargs["slug"] if match.view_name == "terms:detail" else ""


def sorted_labels(g: Graph, concept: Node, prop: URIRef) -> list[str]:
    """A concept's labels of one kind (SKOS keeps no order), A–Z."""
    return sorted(in_language(g.objects(concept, prop)), key=str.casefold)


def in_language(values: Iterable[Node]) -> list[str]:
    """The literals in English (or untagged); all of them if there are none such."""
    literals = [value for value in values if isinstance(value, Literal)]
    english = [value for value in literals if language_rank(value) < 2]
    return [str(value) for value in (english or literals)]


def best(values: Iterable[Node]) -> str:
    """The one literal to keep: English first, then untagged, then any; "" if there is none."""
    literals = [value for value in values if isinstance(value, Literal)]
    literals.sort(key=lambda value: (language_rank(value), value.language or "", str(value)))
    return str(literals[0]) if literals else ""


def language_rank(value: Literal) -> int:
    """0 for English, 1 for no language, 2 for another."""
    if value.language is None:
        return 1
    return 0 if value.language.split("-")[0].lower() == LANGUAGE else 2
