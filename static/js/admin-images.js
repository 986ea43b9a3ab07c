/* Images in the term form's markdown fields: "Add image" under each field, or drop or paste a file on it.
 *
 * The editor is asked for the image's alt text in a small dialog, the file is uploaded (the server
 * checks and re-encodes it, terms/images.py), and `![alt text](address)` is typed at the cursor,
 * as an input event, so the live preview and the unsaved-changes guard see it.
 * markdownx's editor would upload a dropped or pasted file itself, without alt text: the
 * listeners here run first (capturing, on the document) and stop such events.
 */
(() => {
  "use strict";

  const ACCEPTED = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  const MAX_BYTES = 5 * 1024 * 1024;
  const EDITOR = ".markdownx textarea";
  const NO_ALT_TEXT = "Give the image alt text: readers who cannot see the image read it instead.";

  let picker;
  let dialog;
  let pending = null; // {textarea, start, end, file} while an image is being added
  const tools = new WeakMap(); // each field's "Add image" line

  function editorOf(target) {
    const editor = target instanceof Element ? target.closest(EDITOR) : null;
    return editor && !editor.closest(".empty-form") ? editor : null;
  }


  function labelOf(textarea) {
    const label = textarea.id ? document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`) : null;
    return label ? label.textContent.trim().replace(/:$/, "") : "";
  }

  function addTools(root) {
    root.querySelectorAll(EDITOR).forEach((textarea) => {
      if (!editorOf(textarea) || tools.has(textarea)) return;
      const line = document.createElement("div");
      line.className = "image-tools";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button image-tools__add";
      button.textContent = "Add image";
      const label = labelOf(textarea);
      if (label) button.setAttribute("aria-label", `Add image to ${label}`);
      button.addEventListener("click", () => choose(textarea));
      const status = document.createElement("span");
      status.className = "image-tools__status";
      status.setAttribute("role", "status");
      const hint = document.createElement("span");
      hint.className = "image-tools__hint";
      hint.textContent = "or drop or paste one on the field: PNG, JPEG, GIF or WebP, at most 5 MB.";
      line.append(button, " ", hint, status);
      // Under the field's row (label and editor), where its help text goes, not squeezed in beside it.
      (textarea.closest(".flex-container") || textarea.closest(".markdownx")).after(line);
      tools.set(textarea, line);
    });
  }

  function say(textarea, message, isError) {
    const line = tools.get(textarea);
    if (!line) return;
    const status = line.querySelector(".image-tools__status");
    status.classList.toggle("image-tools__status--error", Boolean(isError));
    status.textContent = message;
  }

  function choose(textarea) {
    pending = { textarea, start: textarea.selectionStart, end: textarea.selectionEnd };
    picker.value = "";
    picker.click();
  }

  function start(textarea, file) {
    pending = { ...(pending && pending.textarea === textarea ? pending : {}), textarea, file };
    if (pending.start === undefined) {
      pending.start = textarea.selectionStart;
      pending.end = textarea.selectionEnd;
    }
    if (file.type && !ACCEPTED.includes(file.type)) {
      say(textarea, `${file.name} is not a PNG, JPEG, GIF or WebP image.`, true);
      pending = null;
      return;
    }
    if (file.size > MAX_BYTES) {
      const megabytes = (file.size / 1024 / 1024).toFixed(1);
      say(textarea, `${file.name} is ${megabytes} MB; an image may be at most 5 MB.`, true);
      pending = null;
      return;
    }
    say(textarea, "");
    openDialog(file);
  }

  // The dialog ---------------------------------------------------------------------------------------------------------

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text) node.textContent = text;
    return node;
  }

  function buildDialog() {
    dialog = element("dialog", { class: "image-dialog", "aria-labelledby": "image-dialog-title" });
    const form = element("form", { class: "image-dialog__form", novalidate: "" });
    const title = element("h2", { id: "image-dialog-title" }, "Add an image");
    const file = element("p", { class: "image-dialog__file" });
    const label = element("label", { for: "image-dialog-alt", class: "required" }, "Alt text");
    const input = element("input", {
      id: "image-dialog-alt",
      type: "text",
      maxlength: "300",
      autocomplete: "off",
      "aria-describedby": "image-dialog-help image-dialog-error",
    });
    const help = element(
      "p",
      { id: "image-dialog-help", class: "help" },
      "What the image shows, for readers who cannot see it, e.g. “A loss curve falling steeply, then levelling off”.",
    );
    const error = element("p", { id: "image-dialog-error", class: "image-dialog__error", role: "alert" });
    const actions = element("div", { class: "image-dialog__actions" });
    const submit = element("button", { type: "submit", class: "button default" }, "Upload and insert");
    const cancel = element("button", { type: "button", class: "button cancel-link" }, "Cancel");
    actions.append(submit, cancel);
    form.append(title, file, label, input, help, error, actions);
    dialog.append(form);
    document.body.append(dialog);

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      upload();
    });
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      const textarea = pending && pending.textarea;
      pending = null;
      if (textarea) textarea.focus();
    });
  }

  function openDialog(file) {
    const input = dialog.querySelector("#image-dialog-alt");
    dialog.querySelector(".image-dialog__file").textContent =
      `${file.name}, ${Math.max(1, Math.round(file.size / 1024)).toLocaleString()} KB`;
    input.value = "";
    showError("");
    busy(false);
    dialog.showModal();
    input.focus();
  }

  function showError(message) {
    const input = dialog.querySelector("#image-dialog-alt");
    dialog.querySelector(".image-dialog__error").textContent = message;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function busy(on) {
    const submit = dialog.querySelector("button[type=submit]");
    submit.disabled = on;
    submit.textContent = on ? "Uploading…" : "Upload and insert";
    dialog.setAttribute("aria-busy", on ? "true" : "false");
  }

  // Upload and insert --------------------------------------------------------------------------------------------------

  function upload() {
    const input = dialog.querySelector("#image-dialog-alt");
    const altText = input.value.trim();
    if (!altText) {
      showError(NO_ALT_TEXT);
      input.focus();
      return;
    }
    const { textarea, file } = pending;
    const token = textarea.form && textarea.form.querySelector("[name=csrfmiddlewaretoken]");
    const body = new FormData();
    body.append("image", file);
    body.append("alt_text", altText);
    showError("");
    busy(true);
    fetch(textarea.getAttribute("data-markdownx-upload-urls-path") || "/markdownx/upload/", {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
    })
      .then((response) =>
        response
          .json()
          .catch(() => ({}))
          .then((answer) => {
            if (!response.ok) {
              throw new Error(answer.error || `The site could not store the image (error ${response.status}).`);
            }
            return answer;
          }),
      )
      .then((answer) => {
        const { start, end } = pending;
        dialog.close(); // focuses the field again
        insert(textarea, answer.image_code, start, end);
        say(textarea, ["Image added.", answer.note].filter(Boolean).join(" "));
      })
      .catch((error) => {
        busy(false);
        showError(
          error instanceof TypeError
            ? "The upload did not reach the site. Check the connection and try again."
            : error.message,
        );
      });
  }

  function insert(textarea, text, start, end) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // Typed as if by the editor, so Undo takes it back; the fallback sends the input event itself.
    if (!document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // Drop and paste -----------------------------------------------------------------------------------------------------

  function hasFiles(event) {
    return Boolean(event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files"));
  }

  function onDrag(event) {
    const textarea = editorOf(event.target);
    if (!textarea || !hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = "copy";
    textarea.classList.toggle("image-drop-target", event.type !== "dragleave");
  }

  function onDrop(event) {
    const textarea = editorOf(event.target);
    if (!textarea || !hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    textarea.classList.remove("image-drop-target");
    if (event.dataTransfer.files.length) start(textarea, event.dataTransfer.files[0]);
  }

  function onPaste(event) {
    const textarea = editorOf(event.target);
    const files = event.clipboardData ? event.clipboardData.files : [];
    if (!textarea || !files.length) return;
    event.preventDefault();
    event.stopPropagation();
    start(textarea, files[0]);
  }

  function ready() {
    picker = element("input", { type: "file", accept: ACCEPTED.join(","), hidden: "", class: "image-picker" });
    picker.addEventListener("change", () => {
      if (pending && picker.files.length) start(pending.textarea, picker.files[0]);
    });
    document.body.append(picker);
    buildDialog();
    addTools(document);
    document.addEventListener("formset:added", (event) => addTools(event.target));
    ["dragenter", "dragover", "dragleave"].forEach((type) => document.addEventListener(type, onDrag, true));
    document.addEventListener("drop", onDrop, true);
    document.addEventListener("paste", onPaste, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
