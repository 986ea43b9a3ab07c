/* A term page's two small enhancements; without JavaScript the page is complete.
 *
 * - Section links (<a data-copy-link href="#section">): a click still goes to the section,
 *   and also copies the section's full address to the clipboard, announced politely.
 * - Listen (<button class="listen" data-speak="name" hidden>): shown only where the browser
 *   can speak (the Web Speech API's speechSynthesis); it says the term's name.
 * - Cross-link one-liners (.xref-tip, shown by CSS on hover and focus): Escape hides the one
 *   showing until the pointer or focus leaves it (WCAG 1.4.13, content on hover or focus).
 */
(() => {
  "use strict";

  function announcer() {
    let region = document.getElementById("term-announcer");
    if (!region) {
      region = document.createElement("div");
      region.id = "term-announcer";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(message) {
    const region = announcer();
    region.textContent = "";
    // A fresh text node a moment later, so the same message is announced twice in a row.
    window.setTimeout(() => { region.textContent = message; }, 50);
  }

  function enhanceSectionLinks() {
    if (!navigator.clipboard || !window.isSecureContext) return;
    document.querySelectorAll("a[data-copy-link]").forEach((link) => {
      link.title = "Copy a link to this section";
      link.addEventListener("click", () => {
        const address = new URL(link.getAttribute("href"), window.location.href).href;
        navigator.clipboard.writeText(address).then(
          () => {
            link.classList.add("section-link--copied");
            window.setTimeout(() => link.classList.remove("section-link--copied"), 1500);
            announce("Link to this section copied");
          },
          () => {} // no permission: the link still leads to the section
        );
      });
    });
  }

  function enhanceListen() {
    // `in` rather than reading window.speechSynthesis: reading it starts the browser's speech
    // engine, a long task on a slow phone, for a button most readers never press.
    if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") return;
    document.querySelectorAll("button.listen[data-speak]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => {
        const synth = window.speechSynthesis;
        if (!synth) return;
        synth.cancel();
        const utterance = new window.SpeechSynthesisUtterance(button.dataset.speak);
        utterance.lang = document.documentElement.lang || "en";
        utterance.rate = 0.9;
        button.classList.add("listen--speaking");
        const done = () => button.classList.remove("listen--speaking");
        utterance.addEventListener("end", done);
        utterance.addEventListener("error", done);
        synth.speak(utterance);
      });
    });
  }

  function enhanceTips() {
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      document.querySelectorAll(".xref:hover, .xref:focus-within").forEach((xref) => {
        xref.classList.add("xref--dismissed");
      });
    });
    const restore = (event) => {
      const xref = event.target.closest && event.target.closest(".xref--dismissed");
      if (xref && !xref.contains(event.relatedTarget)) xref.classList.remove("xref--dismissed");
    };
    document.addEventListener("focusout", restore);
    document.addEventListener("mouseout", restore);
  }

  function start() {
    enhanceSectionLinks();
    enhanceListen();
    enhanceTips();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
