/* The markdown editor's toolbar (templates/markdownx/widget.html): each button puts markdown around the
   selected text, or a placeholder to type over, and markdownx then refreshes the preview.

   - The toolbar is one tab stop; the arrow keys, Home and End move between its buttons.
   - In the text, Ctrl+B (Cmd+B), Ctrl+I and Ctrl+K make bold, italic and a link.
   - Other scripts may add buttons at the end of [data-markdown-toolbar]; they join the arrow-key order.
   - Rows an inline adds later work too: everything is handled from the document, and their previews,
     which markdownx set up before the rows existed, are refreshed here as markdownx refreshes the others. */
(() => {
  "use strict";

  const SHORTCUTS = { b: "bold", i: "italic", k: "link" };

  function wrap(before, after, placeholder) {
    return (selected) => ({ text: before + (selected || placeholder) + after, start: before.length, placeholder: !selected });
  }

  // Each action turns the selected text into its replacement, and says which part of it to select afterwards.
  const ACTIONS = {
    bold: wrap("**", "**", "bold text"),
    italic: wrap("_", "_", "italic text"),
    code: (selected) =>
      selected.includes("\n") ? wrap("```\n", "\n```", "")(selected) : wrap("`", "`", "code")(selected),
    link(selected) {
      if (/^https?:\/\/\S+$/.test(selected)) {
        return { text: `[link text](${selected})`, start: 1, length: "link text".length };
      }
      const text = selected || "link text";
      return { text: `[${text}](https://)`, start: text.length + 3, length: "https://".length };
    },
    list: (selected) => linesStartingWith("- ", selected, "list item"),
    heading: (selected) => linesStartingWith("### ", selected, "Heading"),
  };

  function linesStartingWith(marker, selected, placeholder) {
    const lines = (selected || placeholder).split("\n");
    const text = lines.map((line) => (line.startsWith(marker) ? line : marker + line)).join("\n");
    return selected ? { text, start: text.length, length: 0 } : { text, start: marker.length, length: placeholder.length };
  }

  function textareaOf(element) {
    const editor = element.closest(".markdown-editor");
    return editor && editor.querySelector("textarea");
  }

  function apply(textarea, name) {
    let start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    // A list or a heading applies to whole lines: widen the selection to the start of its first line.
    if (name === "list" || name === "heading") start = textarea.value.lastIndexOf("\n", start - 1) + 1;
    const selected = textarea.value.slice(start, end);
    const result = ACTIONS[name](selected);
    const length = result.length ?? (result.placeholder ? result.text.length - 2 * result.start : selected.length);
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // insertText keeps the change in the browser's undo history and fires "input" itself.
    if (!document.execCommand("insertText", false, result.text)) {
      textarea.setRangeText(result.text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(start + result.start, start + result.start + length);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-markdown-toolbar] [data-markdown]");
    if (!button || !ACTIONS[button.dataset.markdown]) return;
    const textarea = textareaOf(button);
    if (textarea && !textarea.disabled && !textarea.readOnly) apply(textarea, button.dataset.markdown);
  });

  document.addEventListener("keydown", (event) => {
    const toolbar = event.target.closest && event.target.closest("[data-markdown-toolbar]");
    if (toolbar) {
      moveInToolbar(toolbar, event);
      return;
    }
    const name = SHORTCUTS[event.key.toLowerCase()];
    const textarea = event.target.closest && event.target.closest(".markdown-editor textarea");
    if (!name || !textarea || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    event.preventDefault();
    apply(textarea, name);
  });

  document.addEventListener("formset:added", (event) => {
    event.target.querySelectorAll(".markdown-editor textarea").forEach((textarea) => {
      let timer = null;
      textarea.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => refreshPreview(textarea), 500);
      });
    });
  });

  function refreshPreview(textarea) {
    const preview = textarea.closest(".markdown-editor").querySelector(".markdownx-preview");
    const token = textarea.form && textarea.form.querySelector("[name=csrfmiddlewaretoken]");
    const body = new FormData();
    body.append("content", textarea.value);
    fetch(textarea.dataset.markdownxUrlsPath, {
      method: "POST",
      body,
      headers: token ? { "X-CSRFToken": token.value } : {},
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      // The preview endpoint answers sanitised HTML, as it does for markdownx.
      .then((html) => {
        preview.innerHTML = html;
      })
      .catch(() => {
        preview.textContent = "The preview could not be refreshed; the text is not affected.";
      });
  }

  function moveInToolbar(toolbar, event) {
    const buttons = Array.from(toolbar.querySelectorAll("button:not([disabled])"));
    const current = buttons.indexOf(event.target);
    const next = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: buttons.length - 1,
    }[event.key];
    if (current === -1 || next === undefined) return;
    event.preventDefault();
    const target = buttons[(next + buttons.length) % buttons.length];
    buttons.forEach((button) => button.setAttribute("tabindex", button === target ? "0" : "-1"));
    target.focus();
  }
})();
