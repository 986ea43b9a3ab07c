"""Rendering generated terms' markdown ahead of publishing, in worker processes when there are any."""

import multiprocessing
from collections.abc import Callable

from terms.rendering import render_markdown

from .content import Plan


class Renderer:
    """Renders each batch's markdown ahead of publishing: once per distinct text, in worker processes if any.

    `render_markdown` is a pure function of its text, so publishing with the results looked up
    gives exactly the HTML it would have rendered itself (publish_new_in_bulk's `render`);
    anything not rendered ahead is rendered as usual. With workers, a batch renders while this
    process writes rows and validates.
    """

    def __init__(self, workers: int):
        self.pool = None
        if workers:
            methods = multiprocessing.get_all_start_methods()
            self.pool = multiprocessing.get_context("fork" if "fork" in methods else "spawn").Pool(workers)
        self.workers = workers
        self.shared: dict[str, str] = {}  # texts that recur across terms (they do not mention the name)

    def submit(self, plans: list[Plan]):
        """Start rendering the batch's markdown; returns a handle for `renderer_for`."""
        texts = {text: plan.term.name in text for plan in plans for text in plan.markdown_texts()}
        texts = {text: specific for text, specific in texts.items() if text not in self.shared}
        if self.pool is None:
            return texts, None
        chunk = max(1, len(texts) // (self.workers * 8))
        return texts, self.pool.map_async(render_markdown, list(texts), chunksize=chunk)

    def renderer_for(self, handle) -> Callable[[str], str]:
        """Waits for the batch's HTML; returns a renderer that serves it, rendering anything else as usual."""
        texts, pending = handle
        results = pending.get(timeout=3600) if pending is not None else map(render_markdown, texts)
        html = dict(self.shared)
        for (text, specific), rendered in zip(texts.items(), results, strict=True):
            html[text] = rendered
            if not specific:
                self.shared[text] = rendered

        def render(text: str, *, prefix: str = "") -> str:
            found = html.get(text)
            if found is None or (prefix and (' id="' in found or 'href="#' in found)):
                # A prefix changes only ids and the links to them: text with neither renders the same.
                return render_markdown(text, prefix=prefix)
            return found

        return render

    def close(self):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
