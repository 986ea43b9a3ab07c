/* As-you-type search suggestions: a progressive enhancement of a plain search form.
 *
 * Every <input data-suggest="ENDPOINT"> inside a <form> becomes a WAI-ARIA 1.2 combobox
 * controlling a <ul role="listbox"> filled from GET ENDPOINT?q=... which answers
 * {"query": "...", "suggestions": [{"name", "url", "short_definition", "matched"}]}.
 * Enter on a highlighted option opens its page; otherwise the form submits as usual.
 * Any network or JSON error leaves the plain form. The Content-Security-Policy forbids
 * inline styles, so looks come from classes in site.css and visibility from `hidden`.
 */
(() => {
  "use strict";

  const DELAY = 120; // ms of quiet typing before asking the server
  const CACHE_SIZE = 50; // answers remembered per box, oldest forgotten first
  let count = 0;

  const normalise = (text) => text.trim().replace(/\s+/g, " ");
  const usable = (item) => item && typeof item.name === "string" && typeof item.url === "string";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text; // server data only ever goes in as text
    return node;
  }

  function enhance(input) {
    const form = input.form;
    if (!form) return;
    const listId = `suggest-${++count}`;
    const list = element("ul", "suggest");
    const status = element("div", "visually-hidden");
    const cache = new Map();
    let items = []; // the suggestions the list shows
    let active = -1; // index of the highlighted option, or -1
    let wanted = ""; // the query whose answer should be shown
    let timer = 0;
    let controller = null;

    list.id = listId;
    list.hidden = true;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    status.setAttribute("aria-live", "polite");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.after(list, status);

    function highlight(index) {
      if (active >= 0) list.children[active].setAttribute("aria-selected", "false");
      active = index;
      if (index < 0) return input.removeAttribute("aria-activedescendant");
      const option = list.children[index];
      option.setAttribute("aria-selected", "true");
      option.scrollIntoView({ block: "nearest" });
      input.setAttribute("aria-activedescendant", option.id);
    }

    function show(open) {
      if (!open) highlight(-1);
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
    }

    function render(suggestions) {
      highlight(-1);
      items = suggestions;
      list.replaceChildren(
        ...items.map((item, i) => {
          const option = element("li", "suggest__option");
          option.id = `${listId}-${i}`;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.append(element("span", "suggest__name", item.name));
          // Why it matched when not by its name: "matched LLM, abbreviation".
          if (item.matched) option.append(element("span", "suggest__matched", `matched ${item.matched}`));
          option.append(element("span", "suggest__definition", item.short_definition));
          return option;
        }),
      );
      const n = items.length;
      status.textContent = n ? `${n} suggestion${n === 1 ? "" : "s"}` : "No suggestions";
      show(n > 0 && document.activeElement === input);
    }

    function go(index) {
      const url = new URL(items[index].url, location.href);
      if (url.origin === location.origin) location.assign(url.href);
    }

    function request() {
      const query = normalise(input.value);
      if (query === wanted) return; // already shown, on its way, or failed
      wanted = query;
      controller?.abort();
      controller = null;
      if (!query) {
        items = [];
        status.textContent = "";
        return show(false);
      }
      if (cache.has(query)) return render(cache.get(query));
      const url = new URL(input.dataset.suggest, location.href);
      url.searchParams.set("q", query);
      controller = new AbortController();
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.json();
        })
        .then((data) => {
          if (!Array.isArray(data?.suggestions)) throw new Error("Unexpected answer");
          const suggestions = data.suggestions.filter(usable);
          if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value);
          cache.set(query, suggestions);
          if (query === wanted) render(suggestions);
        })
        .catch(() => {
          if (query !== wanted) return; // outdated, or aborted for a newer query
          show(false); // fail quietly: the plain form still works
          items = [];
        });
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      highlight(-1); // typing again: Enter means "search for what I typed"
      if (normalise(input.value)) timer = setTimeout(request, DELAY);
      else request(); // emptied: close at once
    });

    input.addEventListener("keydown", (event) => {
      if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
      const open = !list.hidden;
      const n = items.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!n) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        const from = active >= 0 ? active : step > 0 ? -1 : n;
        show(true);
        highlight((from + step + n) % n);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape" && (open || input.value)) {
        event.preventDefault(); // also stops Chromium clearing a type=search box by itself
        if (open) return show(false);
        input.value = "";
        request();
      } else if (event.key === "Tab") {
        show(false);
      }
    });

    // Pressing an option must not take focus from the input (its blur would close the list).
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) go(Array.prototype.indexOf.call(list.children, option));
    });
    // Focus went elsewhere (a click outside, another window): close.
    input.addEventListener("blur", () => show(false));
    // Not still open if the page comes back from the back/forward cache.
    window.addEventListener("pagehide", () => show(false));
  }

  function start() {
    if (!window.fetch || !window.AbortController || !Element.prototype.replaceChildren) return;
    document.querySelectorAll("input[data-suggest]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
