// Kezek: the point of a kindergarten on the department's registry form. A marker on a Leaflet
// map follows the latitude and longitude fields and moves them when the map is clicked or the
// marker is dragged. Without this script (or without tiles) the fields alone still work.
(function () {
  "use strict";
  var box = document.getElementById("point-map");
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  if (!box || !lat || !lon || !window.L) {
    return;
  }
  function at() {
    var a = parseFloat(String(lat.value).replace(",", "."));
    var o = parseFloat(String(lon.value).replace(",", "."));
    return isFinite(a) && isFinite(o) ? [a, o] : [43.25, 76.92];
  }
  var map = L.map(box, { scrollWheelZoom: false }).setView(at(), 15);
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, {
      attribution: box.dataset.attribution || "",
      maxZoom: 19,
    }).addTo(map);
  }
  var pin = L.divIcon({ className: "point-pin", iconSize: [22, 22], iconAnchor: [11, 11] });
  var marker = L.marker(at(), { draggable: true, icon: pin, title: box.getAttribute("aria-label") }).addTo(map);
  function put(ll) {
    lat.value = ll.lat.toFixed(6);
    lon.value = ll.lng.toFixed(6);
  }
  map.on("click", function (e) {
    marker.setLatLng(e.latlng);
    put(e.latlng);
  });
  marker.on("dragend", function () {
    put(marker.getLatLng());
  });
  function follow() {
    var p = at();
    marker.setLatLng(p);
    map.panTo(p);
  }
  lat.addEventListener("change", follow);
  lon.addEventListener("change", follow);
})();
