/*
 * Search journey, results page: after a search the keyboard focus goes to the result summary
 * (#summary, tabindex="-1", role="status": screen readers read it), so that the result tabs are a few
 * Tab presses away; the folded search form and filters (DSFR accordions marked data-open-wide) are
 * opened on wide screens. "After a search" = the search form was submitted, or a link marked
 * data-focus-summary (result tabs, other readings, pagination) was followed: a flag in sessionStorage
 * says so, so that a page opened directly keeps the browser's focus order (skip links first).
 * Without JavaScript nothing here is needed: the page works and site.css shows the folds open.
 */
(function () {
  "use strict";

  var FLAG = "alternance-focus-summary";
  var WIDE = "(min-width: 62em)";

  function remember() {
    try {
      window.sessionStorage.setItem(FLAG, "1");
    } catch (error) {
      /* storage refused (private mode): the focus simply stays where the browser puts it */
    }
  }

  function recall() {
    try {
      var set = window.sessionStorage.getItem(FLAG) === "1";
      window.sessionStorage.removeItem(FLAG);
      return set;
    } catch (error) {
      return false;
    }
  }

  function openOnWideScreens() {
    if (!window.matchMedia || !window.matchMedia(WIDE).matches) {
      return;
    }
    document.querySelectorAll("[data-open-wide] .fr-accordion__btn[aria-expanded='false']").forEach(function (button) {
      var panel = document.getElementById(button.getAttribute("aria-controls"));
      if (window.dsfr && panel) {
        window.dsfr(panel).collapse.disclose();
      } else {
        button.click();
      }
    });
  }

  document.addEventListener("submit", function (event) {
    if (event.target.id === "search-form") {
      remember();
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a[data-focus-summary]")) {
      remember();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("summary");
    if (summary && recall()) {
      summary.focus();
    }
    window.setTimeout(openOnWideScreens, 0); // after the DSFR has set up its accordions
  });
})();
