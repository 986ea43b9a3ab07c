/* The term form's tags field: existing tags suggested as you type, and new ones named before saving.
 *
 * The field (<input data-tag-suggest-url="...">) holds tag names separated by commas. While the
 * name being typed (the last one) is two or more characters long, the tags beginning with it are
 * listed under the field, most used first, with how many terms use each; Up and Down move through
 * them, Enter or a click puts one in the field, Escape closes the list. Under the field, once a name
 * is finished (by a comma, or by leaving the field), a polite status says which names are not tags
 * yet: "“LLMs” is a new tag: it will be created when you save."
 * Without JavaScript the field works as before: the server creates any tag it does not know.
 */
(() => {
  "use strict";

  const DELAY = 150;
  let counter = 0;

  function names(value) {
    return value.split(",").map((name) => name.trim().replace(/\s+/g, " ")).filter((name) => name);
  }

  function quoted(list) {
    const parts = list.map((name) => `“${name}”`);
    return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0];
  }

  function enhance(input) {
    const url = input.dataset.tagSuggestUrl;
    const id = `tag-suggestions-${++counter}`;
    const list = document.createElement("ul");
    list.id = id;
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Existing tags");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "tag-status help";
    status.setAttribute("role", "status");
    // Below the field's row (the admin lays a label and its field out in a row), above its help text.
    (input.closest(".flex-container") || input).after(list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    const known = new Map(); // name (lower case) → whether it is a tag
    let timer = null;
    let active = -1;

    function lookup(name) {
      const address = `${url}?${new URLSearchParams({ q: name })}`;
      return fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null);
    }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      options.forEach((option, n) => option.setAttribute("aria-selected", n === index ? "true" : "false"));
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      const typed = input.value.split(",");
      typed[typed.length - 1] = (typed.length > 1 ? " " : "") + name;
      input.value = `${typed.join(",")}, `;
      known.set(name.toLowerCase(), true);
      close();
      input.focus();
      check();
    }

    function show(tags) {
      list.replaceChildren();
      tags.forEach((tag, n) => {
        const option = document.createElement("li");
        option.id = `${id}-${n}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = tag.name;
        const count = document.createElement("span");
        count.className = "tag-suggestions__count";
        count.textContent = ` ${tag.count} term${tag.count === 1 ? "" : "s"}`;
        option.append(count);
        // Before the field loses focus, so the choice is made before the list closes.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(tag.name);
        });
        list.append(option);
      });
      list.hidden = !tags.length;
      input.setAttribute("aria-expanded", tags.length ? "true" : "false");
      active = -1;
    }

    function finished() {
      // The name being typed is not one yet: a comma, or leaving the field, finishes it.
      const all = names(input.value);
      return document.activeElement === input && !/,\s*$/.test(input.value) ? all.slice(0, -1) : all;
    }

    function tell() {
      const fresh = finished().filter((name) => known.get(name.toLowerCase()) === false);
      if (!fresh.length) status.textContent = "";
      else if (fresh.length === 1) status.textContent = `${quoted(fresh)} is a new tag: it will be created when you save.`;
      else status.textContent = `${quoted(fresh)} are new tags: they will be created when you save.`;
    }

    function check() {
      const unknown = finished().filter((name) => !known.has(name.toLowerCase()));
      Promise.all(unknown.map((name) => lookup(name).then((found) => {
        if (found) known.set(name.toLowerCase(), found.exists);
      }))).then(tell);
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      const typed = input.value.split(",").pop().trim();
      if (typed.length < 2) {
        close();
        check();
        return;
      }
      timer = window.setTimeout(() => {
        lookup(typed).then((found) => {
          if (!found || found.query !== typed.replace(/\s+/g, " ")) return; // a later keystroke asked since
          known.set(typed.toLowerCase(), found.exists);
          show(found.tags);
          tell();
        });
      }, DELAY);
    });

    input.addEventListener("keydown", (event) => {
      const options = list.querySelectorAll("[role=option]");
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // choosing a tag, not saving the form
        choose(options[active].firstChild.textContent);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", () => {
      close();
      check();
    });

    names(input.value).forEach((name) => known.set(name.toLowerCase(), true)); // the term's tags already exist
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-tag-suggest-url]").forEach(enhance);
  });
})();
