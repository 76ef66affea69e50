/*
 * Accessible combobox (WAI-ARIA 1.2 "list autocomplete" pattern) over server-rendered suggestions.
 * HTMX fills the listbox; this script only handles the keyboard, the choice and the hidden code field.
 * Markup: <input role="combobox" aria-controls="LIST" data-combobox-target="HIDDEN_ID"> and
 * <ul id="LIST" role="listbox"> of <li role="option" data-value="CODE" data-label="TEXT">.
 * Without JavaScript the form still works: the server resolves the typed text.
 */
(function () {
  "use strict";

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
  }

  function setOpen(input, list, open) {
    input.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
    if (!open) {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function activate(input, list, index) {
    var items = options(list);
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (items[index]) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    }
  }

  function choose(input, list, option) {
    var hidden = document.getElementById(input.dataset.comboboxTarget);
    input.value = option.dataset.label;
    if (hidden) {
      hidden.value = option.dataset.value;
    }
    setOpen(input, list, false);
    var status = document.getElementById(input.id + "-status");
    if (status) {
      status.textContent = "Choisi : " + option.dataset.label;
    }
  }

  function bind(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list || input.dataset.comboboxBound) {
      return;
    }
    input.dataset.comboboxBound = "1";
    var hidden = document.getElementById(input.dataset.comboboxTarget);

    input.addEventListener("input", function () {
      if (hidden) {
        hidden.value = "";
      }
    });
    input.addEventListener("keydown", function (event) {
      var items = options(list);
      var current = items.findIndex(function (item) {
        return item.getAttribute("aria-selected") === "true";
      });
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        setOpen(input, list, true);
        activate(input, list, Math.min(current + 1, items.length - 1));
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        activate(input, list, Math.max(current - 1, 0));
      } else if (event.key === "Enter" && current >= 0 && !list.hidden) {
        event.preventDefault();
        choose(input, list, items[current]);
      } else if (event.key === "Escape") {
        setOpen(input, list, false);
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(function () {
        setOpen(input, list, false);
      }, 200);
    });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) {
        event.preventDefault();
        choose(input, list, option);
      }
    });
    list.addEventListener("htmx:afterSwap", function () {
      var count = options(list).length;
      setOpen(input, list, count > 0 && document.activeElement === input);
      var status = document.getElementById(input.id + "-status");
      if (status) {
        status.textContent = count
          ? count + " suggestion" + (count > 1 ? "s" : "") + " : flèches haut et bas pour choisir, Entrée pour valider."
          : "Aucune suggestion.";
      }
    });
  }

  function init(root) {
    (root || document).querySelectorAll('input[role="combobox"]').forEach(bind);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
