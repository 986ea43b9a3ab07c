"""The page types every browser check visits, by name: (path, status)."""

PAGE_TYPES = {
    "home": ("/", 200),
    "index": ("/terms/", 200),
    "tree": ("/terms/tree/", 200),
    "term": ("/terms/fine-tuning/", 200),
    "tag": ("/tags/training/", 200),
    "search": ("/search/?q=model", 200),
    "changes": ("/changes/", 200),
    "term-changes": ("/terms/fine-tuning/changes/", 200),
    "not-found": ("/terms/no-such-term/", 404),
}
