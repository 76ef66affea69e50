/*
 * Small map of one place on a detail page (offer, company, training), drawn with Leaflet (from npm).
 * The page is complete without it: the address is written beside it. The map is a picture (role="img",
 * labelled): no keyboard stop, no zoom buttons, no link. Data comes from the element's data-* attributes;
 * the tile server from the MAP_TILE_URL setting (no tiles without it).
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("place-map");
    if (!container || typeof L === "undefined") {
      return;
    }
    var lat = parseFloat(container.dataset.lat);
    var lon = parseFloat(container.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) {
      return;
    }
    container.hidden = false;
    var map = L.map(container, {
      keyboard: false,
      zoomControl: false,
      scrollWheelZoom: false,
      attributionControl: false,
      fadeAnimation: false,
    });
    if (container.dataset.tiles) {
      L.tileLayer(container.dataset.tiles, { maxZoom: 18 }).addTo(map);
      L.control.attribution({ prefix: false }).addAttribution("© les contributeurs d'OpenStreetMap").addTo(map);
    }
    var icon = L.divIcon({ className: "alt-marker alt-marker--" + (container.dataset.kind || "offer"), iconSize: [18, 18] });
    L.marker([lat, lon], { icon: icon, keyboard: false, interactive: false }).addTo(map);
    map.setView([lat, lon], 13);
  });
})();
