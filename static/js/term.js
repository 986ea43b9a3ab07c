/* A term page's two small enhancements; without JavaScript the page is complete.
 *
 * - Section links (<a data-copy-link href="#section">): a click still goes to the section,
 *   and also copies the section's full address to the clipboard, announced politely.
 * - Listen (<button class="listen" data-speak="name" hidden>): shown only where the browser
 *   can speak (the Web Speech API's speechSynthesis); it says the term's name.
 * - Cross-link one-liners (.xref-tip, shown by CSS on hover and focus): Escape hides the one
 *   showing until the pointer or focus leaves it (WCAG 1.4.13, content on hover or focus).
 *   A finger cannot hover, so a tap (touch or pen) on a cross-link first opens a popover with
 *   the one-liner and a link to the term; a second tap on it follows it. Mouse and keyboard
 *   follow at once.
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

  function enhanceTaps() {
    // One popover, moved into whichever cross-link was tapped last.
    const popover = document.createElement("span");
    popover.id = "xref-popover";
    popover.className = "xref-popover";
    const text = popover.appendChild(document.createElement("span"));
    const follow = popover.appendChild(document.createElement("a"));
    follow.className = "xref-popover__open";
    let pointer = ""; // the kind of the last pointer pressed: "mouse", "touch" or "pen"

    function close() {
      const xref = popover.parentElement;
      if (!xref) return;
      xref.classList.remove("xref--open");
      xref.firstElementChild.removeAttribute("aria-expanded");
      xref.firstElementChild.removeAttribute("aria-controls");
      popover.remove();
    }

    function open(xref) {
      close();
      const link = xref.firstElementChild;
      text.textContent = xref.querySelector(".xref-tip").textContent;
      follow.href = link.href;
      follow.textContent = `Open “${link.textContent}”`;
      xref.append(popover);
      xref.classList.add("xref--open");
      link.setAttribute("aria-expanded", "true");
      link.setAttribute("aria-controls", popover.id);
      // Kept inside the screen: on a phone along its bottom, or its top where that would hide the link;
      // on a wider screen below the link, or ending where the link ends if it would run past the edge.
      popover.classList.remove("xref-popover--top", "xref-popover--end");
      const [shown, tapped] = [popover.getBoundingClientRect(), link.getBoundingClientRect()];
      popover.classList.toggle("xref-popover--top", shown.top < tapped.bottom && tapped.top < shown.bottom);
      popover.classList.toggle("xref-popover--end", shown.right > document.documentElement.clientWidth);
    }

    document.addEventListener(
      "pointerdown",
      (event) => {
        pointer = event.pointerType;
        if (popover.parentElement && !popover.parentElement.contains(event.target)) close();
      },
      true
    );
    document.addEventListener("click", (event) => {
      const link = event.target.closest(".xref > a");
      // detail 0: a click the keyboard made, whatever pointer was pressed last.
      if (!link || event.detail === 0 || (pointer !== "touch" && pointer !== "pen")) return;
      if (popover.parentElement === link.parentElement) return; // the second tap follows the link
      event.preventDefault();
      open(link.parentElement);
    });
    document.addEventListener("keydown", (event) => event.key === "Escape" && close());
    // A page the browser keeps for Back comes back without it.
    window.addEventListener("pagehide", close);
  }

  function start() {
    enhanceSectionLinks();
    enhanceListen();
    enhanceTips();
    enhanceTaps();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
