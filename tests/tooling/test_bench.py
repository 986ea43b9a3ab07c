"""`manage.py bench`'s in-process part: the pages it measures and their SQL queries (the load runs are not tested)."""

import io

from django.core.management import call_command

from tooling.management.commands.bench import inspect_pages


def test_the_cached_term_page_is_counted_as_a_page_cache_hit(db):
    call_command("generate_terms", 5, stdout=io.StringIO(), stderr=io.StringIO())
    inspected = inspect_pages()
    assert inspected["queries"]["cached"][inspected["urls"]["term"]] == 1
