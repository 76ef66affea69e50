/*
 * The API documentation page (Swagger UI from django-ninja), in French: Swagger UI has no French locale,
 * so its own words are replaced as it draws them (a MutationObserver on #swagger-ui; the API's titles and
 * descriptions are already in French). Loaded before swagger-ui-init.js, from a static file (CSP).
 */
(function () {
  "use strict";

  var WORDS = {
    "Try it out": "Essayer",
    "Try it out ": "Essayer",
    "Cancel": "Annuler",
    "Execute": "Exécuter",
    "Clear": "Effacer",
    "Parameters": "Paramètres",
    "Responses": "Réponses",
    "Response": "Réponse",
    "Name": "Nom",
    "Links": "Liens",
    "No links": "Aucun lien",
    "No parameters": "Aucun paramètre",
    "Example Value": "Exemple",
    "Schema": "Schéma",
    "Schemas": "Schémas",
    "Media type": "Type de contenu",
    "Controls Accept header.": "Fixe l'en-tête Accept.",
    "Request URL": "URL de la requête",
    "Request body": "Corps de la requête",
    "Server response": "Réponse du serveur",
    "Response body": "Corps de la réponse",
    "Response headers": "En-têtes de la réponse",
    "Details": "Détails",
    "Download": "Télécharger",
    "Loading...": "Chargement…",
    "Authorize": "S'authentifier",
    "Close": "Fermer",
    "Logout": "Se déconnecter",
    "Available authorizations": "Autorisations possibles",
    "Value:": "Valeur :",
    "Servers": "Serveurs",
    "Successful Response": "Réponse réussie",
    "Undocumented": "Non documenté",
    "Default value": "Valeur par défaut",
    "Example": "Exemple",
    "Examples": "Exemples",
    "required": "obligatoire",
    "Copy to clipboard": "Copier",
    "Expand all": "Tout déplier",
    "Collapse all": "Tout replier",
  };
  var ATTRIBUTES = ["title", "aria-label", "placeholder"];

  function translateText(node) {
    var text = node.nodeValue;
    var key = text.trim();
    // a replaced word is never a key again (no word maps to itself): no endless loop of mutations
    if (key && Object.prototype.hasOwnProperty.call(WORDS, key) && WORDS[key] !== key) {
      node.nodeValue = text.replace(key, WORDS[key]);
    }
  }

  function translate(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      translateText(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      translateText(walker.currentNode);
    }
    [root].concat(Array.prototype.slice.call(root.querySelectorAll("[title], [aria-label], [placeholder]"))).forEach(
      function (element) {
        ATTRIBUTES.forEach(function (name) {
          var value = element.getAttribute && element.getAttribute(name);
          if (value && Object.prototype.hasOwnProperty.call(WORDS, value.trim())) {
            element.setAttribute(name, WORDS[value.trim()]);
          }
        });
      }
    );
  }

  // Accessible names and keyboard access Swagger UI leaves out (axe-core: button-name, select-name,
  // scrollable-region-focusable); its nested links are avoided by the deepLinking: false setting.
  function repair(root) {
    if (root.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    root.querySelectorAll(".copy-to-clipboard > button:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Copier");
    });
    root.querySelectorAll("select:not([aria-label])").forEach(function (select) {
      var row = select.closest("tr[data-param-name]");
      select.setAttribute("aria-label", row ? "Valeur de " + row.getAttribute("data-param-name") : "Type de contenu");
    });
    root.querySelectorAll(".microlight:not([tabindex]), .curl:not([tabindex])").forEach(function (block) {
      block.setAttribute("tabindex", "0");
    });
  }

  var container = document.getElementById("swagger-ui");
  if (!container || !window.MutationObserver) {
    return;
  }
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      if (mutation.type === "characterData") {
        translateText(mutation.target);
      } else {
        mutation.addedNodes.forEach(translate);
        repair(mutation.target);
      }
    });
  }).observe(container, { childList: true, subtree: true, characterData: true });
})();
