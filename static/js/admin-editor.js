/* Never lose typing on the term form: a warning before leaving it with unsaved edits, the text kept in this
   browser as it is typed and offered back after a crash or an accidental close, and Ctrl/Cmd+S to save.
   Only text fields are kept, and only until the form is saved; logging out forgets them all. */
(() => {
  "use strict";

  const PREFIX = "glossary-unsaved:";
  const KEEP_DAYS = 30;
  const script = document.currentScript;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage turned off: the warning and Ctrl+S still work
    }
  }

  function ownKeys(store) {
    const keys = [];
    for (let index = 0; index < store.length; index += 1) {
      const key = store.key(index);
      if (key && key.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  }

  function read(store, key) {
    try {
      const record = JSON.parse(store.getItem(key));
      return record && typeof record.values === "object" ? record : null;
    } catch (error) {
      return null;
    }
  }

  function forget(store, key) {
    try {
      store.removeItem(key);
    } catch (error) {
      /* nothing kept, nothing to forget */
    }
  }

  const store = storage();

  // The logged-out page: on a shared computer, nothing typed stays behind.
  if (script && script.hasAttribute("data-forget-unsaved")) {
    if (store) ownKeys(store).forEach((key) => forget(store, key));
    return;
  }

  const form = document.getElementById("term_form");
  if (!form) return;

  const key = PREFIX + window.location.pathname;
  const versionField = form.elements.namedItem("loaded_edit_version");
  // A form sent back with errors holds text that is not saved, although the page shows it as it came.
  const refused = document.querySelector(".errornote, .errorlist") !== null;
  let submitting = false;
  // While the text kept from before is offered, it is not replaced by what this page holds: only a choice drops it.
  let offered = false;

  function textFields() {
    return Array.from(form.elements).filter((field) => {
      const text = field.tagName === "TEXTAREA" || (field.tagName === "INPUT" && field.type === "text");
      return text && field.name && !field.name.includes("__prefix__") && !field.disabled;
    });
  }

  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      return Array.from(field.options).some((option) => option.selected !== option.defaultSelected);
    }
    if (field.type === "hidden" || field.type === "submit" || field.type === "button") return false;
    return field.value !== field.defaultValue;
  }

  function unsaved() {
    return refused || Array.from(form.elements).some((field) => field.name && !field.name.includes("__prefix__") && changed(field));
  }

  function values() {
    const kept = {};
    textFields().forEach((field) => {
      kept[field.name] = field.value;
    });
    return kept;
  }

  function keep() {
    if (!store || offered) return;
    if (!unsaved()) {
      forget(store, key);
      return;
    }
    const record = {
      version: versionField ? versionField.value : "",
      savedAt: new Date().toISOString(),
      values: values(),
      submitted: submitting,
    };
    try {
      store.setItem(key, JSON.stringify(record));
    } catch (error) {
      /* storage full or refused: the warning before leaving still protects the text */
    }
  }

  let timer = null;
  function keepSoon() {
    clearTimeout(timer);
    timer = setTimeout(keep, 300);
  }

  // Text left for more than a month is of no use to anyone; text sent with a form has been saved, or came
  // back in the form with its errors, whose page keeps it again.
  function forgetDone() {
    const oldest = Date.now() - KEEP_DAYS * 24 * 60 * 60 * 1000;
    ownKeys(store).forEach((other) => {
      const record = read(store, other);
      const stale = !record || !(Date.parse(record.savedAt) > oldest);
      if (stale || (other !== key && record.submitted)) forget(store, other);
    });
  }

  function differsFromPage(record) {
    return Object.keys(record.values).some((name) => {
      const field = form.elements.namedItem(name);
      return !field || field.value !== record.values[name];
    });
  }

  // An inline row that was added before the crash is added again, with the admin's own "Add another" link.
  function ensureRow(name) {
    const row = /^(.+)-(\d+)-[^-]+$/.exec(name);
    if (!row) return;
    const link = document.querySelector("#" + CSS.escape(row[1]) + "-group .add-row a");
    for (let tries = 0; link && !form.elements.namedItem(name) && tries < 50; tries += 1) link.click();
  }

  function restore(record) {
    Object.keys(record.values).forEach((name) => {
      if (!form.elements.namedItem(name)) ensureRow(name);
      const field = form.elements.namedItem(name);
      if (!field || field.value === record.values[name]) return;
      field.value = record.values[name];
      // markdownx refreshes its preview on input; other scripts listen for change.
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    // Saved against the version the text was typed on, so a save made since is shown, not overwritten.
    if (versionField && record.version) versionField.value = record.version;
  }

  function button(label, handler, className = "button") {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = label;
    element.addEventListener("click", handler);
    return element;
  }

  function offer(record) {
    const banner = document.createElement("div");
    banner.className = "workflow-panel workflow-panel--warning unsaved-banner";
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-label", "Unsaved changes");
    const message = document.createElement("p");
    const when = new Date(record.savedAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    message.textContent = "You have unsaved changes from " + when + ", kept in this browser.";
    banner.appendChild(message);
    if (versionField && record.version && record.version !== versionField.value) {
      const note = document.createElement("p");
      note.textContent =
        "The term has been saved since. If you restore them, saving shows what changed and asks you to save again.";
      banner.appendChild(note);
    }
    const actions = document.createElement("p");
    actions.className = "unsaved-banner__actions";
    actions.appendChild(button("Restore them", () => {
      restore(record);
      banner.remove();
      offered = false;
      keep();
      const first = textFields()[0];
      if (first) first.focus();
    }, "button default"));
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(button("Discard", () => {
      forget(store, key);
      banner.remove();
      offered = false;
      keep(); // what was typed here since is kept instead
    }));
    banner.appendChild(actions);
    form.insertBefore(banner, form.firstElementChild);
    offered = true;
    actions.querySelector("button").focus();
  }

  function start() {
    if (!store) return;
    forgetDone();
    const record = read(store, key);
    if (refused) keep(); // the text the server refused is the text to keep
    else if (record && !record.submitted && differsFromPage(record)) offer(record);
    else forget(store, key); // saved, or the same as the page
  }

  // A live term unchanged has nothing to publish: "Save and publish" appears once something is changed.
  function offerPublishing() {
    const changedNow = unsaved();
    form.querySelectorAll("[data-shown-when-changed]").forEach((element) => (element.hidden = !changedNow));
    form.querySelectorAll("[data-hidden-when-changed]").forEach((element) => (element.hidden = changedNow));
  }

  form.addEventListener("input", keepSoon);
  form.addEventListener("change", keepSoon);
  form.addEventListener("input", offerPublishing);
  form.addEventListener("change", offerPublishing);
  form.addEventListener("submit", () => {
    submitting = true;
    clearTimeout(timer);
    keep();
  });

  // Shown again from the back-forward cache after leaving it, the form is no longer being submitted.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) submitting = false;
  });

  window.addEventListener("beforeunload", (event) => {
    if (submitting || !unsaved()) return;
    keep();
    event.preventDefault();
    event.returnValue = ""; // older browsers show the warning only when this is set
  });

  // Ctrl+S (Cmd+S on a Mac) saves and stays on the form, instead of saving the web page to disk.
  document.addEventListener("keydown", (event) => {
    const save = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "s";
    if (!save) return;
    const target = form.querySelector('[name="_continue"]') || form.querySelector('[name="_save"]');
    if (!target) return;
    event.preventDefault();
    if (!submitting) target.click();
  });

  start();
})();
