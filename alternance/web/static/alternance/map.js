/*
 * Map of the search results (Leaflet, from npm). The list stays the accessible alternative: the map
 * only shows the items of the current page. Markers are keyboard focusable (Tab, then Entrée opens
 * the popup). The tile server comes from the MAP_TILE_URL setting; without it the map has no tiles.
 */
(function () {
  "use strict";

  var KIND_LABELS = { offer: "Offre", company: "Entreprise (candidature spontanée)", training: "Formation" };

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function draw(container, data) {
    var map = L.map(container, { keyboard: true, scrollWheelZoom: false, fadeAnimation: false });
    if (data.tiles) {
      L.tileLayer(data.tiles, {
        maxZoom: 18,
        attribution: "&copy; les contributeurs d'OpenStreetMap",
      }).addTo(map);
    }
    var bounds = [[data.center.lat, data.center.lon]];
    L.circle([data.center.lat, data.center.lon], { radius: data.radius_km * 1000, fill: false, weight: 1 }).addTo(map);
    data.items.forEach(function (item) {
      var label = KIND_LABELS[item.type] + " : " + item.title + ", à " + item.distance;
      var icon = L.divIcon({ className: "alt-marker alt-marker--" + item.type, iconSize: [18, 18] });
      L.marker([item.lat, item.lon], { icon: icon, title: label, alt: label, keyboard: true })
        .bindPopup("<strong>" + escapeHtml(KIND_LABELS[item.type]) + "</strong><br>" + escapeHtml(item.title) + "<br>à " + escapeHtml(item.distance))
        .addTo(map);
      bounds.push([item.lat, item.lon]);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
    return map;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("map-toggle");
    var container = document.getElementById("results-map");
    var source = document.getElementById("map-data");
    if (!button || !container || !source || typeof L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var map = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      button.textContent = open ? "Afficher la carte" : "Masquer la carte";
      container.hidden = open;
      var legend = document.getElementById("map-legend");
      if (legend) {
        legend.hidden = open;
      }
      if (!open && !map) {
        map = draw(container, data);
      } else if (!open) {
        map.invalidateSize();
      }
    });
  });
})();
