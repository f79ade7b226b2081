// The portal's only script. Everything works without it; it adds:
// - the 大字版 (large-font, 适老化) toggle, remembered in localStorage. The
//   script is loaded from <head> without defer so the class is on <html>
//   before the first paint (no flash of small text).
// - a print button on case pages.
// No inline handlers: the CSP forbids inline script.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "zfgs-large-font";

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (e) {
      return false; // storage disabled (private mode, policies)
    }
  }

  function remember(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "1");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) {
      /* the toggle still works for this page */
    }
  }

  root.classList.add("js");
  if (stored()) {
    root.classList.add("large-font");
  }

  function wireFontToggle(button) {
    button.hidden = false;
    button.setAttribute("aria-pressed", root.classList.contains("large-font") ? "true" : "false");
    button.addEventListener("click", function () {
      var on = !root.classList.contains("large-font");
      root.classList.toggle("large-font", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      remember(on);
    });
  }

  function wirePrint(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var i;
    var toggles = document.querySelectorAll("[data-font-toggle]");
    for (i = 0; i < toggles.length; i++) {
      wireFontToggle(toggles[i]);
    }
    var prints = document.querySelectorAll("[data-print]");
    for (i = 0; i < prints.length; i++) {
      wirePrint(prints[i]);
    }
  });
})();
