// The map of a location question, and the small maps that show a stored location.
// Progressive enhancement only: without this script (or without Leaflet) the question is
// three plain inputs: an address, the points as text and a description.
//
// Contract (forms_builder/widgets/location.html):
//   <div data-location data-shape="point|zone|any" data-settings-url="..."
//        data-points-input="<id>">  ... <div data-location-map> ... </div>
// The points input is the one truth: "lat, lon; lat, lon; ..." (latitude first). The map
// writes it and reads it back when it is typed in; the server checks and measures it.
//
//   <div data-location-view data-settings-url="..." data-geometry='<GeoJSON geometry>'>
// shows a stored point or zone (the officer's dossier view);
//   <div data-location-view data-settings-url="..." data-geometry-url="...">
// fetches the geometry as JSON first (the officers' map of reports: thousands of points,
// drawn on a canvas).
(function () {
  "use strict";

  var DECIMALS = 7;
  var settingsPromise = {};

  function loadSettings(url) {
    if (!settingsPromise[url]) {
      settingsPromise[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("map settings " + response.status);
        return response.json();
      });
    }
    return settingsPromise[url];
  }

  function makeMap(element, settings) {
    var map = L.map(element, { keyboard: true, zoomControl: true }).setView(settings.centre, settings.zoom);
    L.tileLayer(settings.tileUrl, { maxZoom: settings.maxZoom, attribution: settings.attribution }).addTo(map);
    return map;
  }

  function round(number) {
    var factor = Math.pow(10, DECIMALS);
    return Math.round(number * factor) / factor;
  }

  function parsePoints(text) {
    var points = [];
    var parts = (text || "").split(/[;\n]/);
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].trim();
      if (!part) continue;
      var match = /^([+-]?\d{1,3}(?:\.\d+)?)\s*[,\s]\s*([+-]?\d{1,3}(?:\.\d+)?)$/.exec(part);
      if (!match) return null; // the server explains what is wrong
      points.push([Number(match[1]), Number(match[2])]);
    }
    return points;
  }

  function pointsText(points) {
    return points.map(function (point) { return round(point[0]) + ", " + round(point[1]); }).join("; ");
  }

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_all, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  function setUpQuestion(container) {
    var area = container.querySelector(".location__map-area");
    var mapElement = container.querySelector("[data-location-map]");
    var input = document.getElementById(container.getAttribute("data-points-input"));
    if (!area || !mapElement || !input || typeof L === "undefined") return;
    var shape = container.getAttribute("data-shape");
    var status = container.querySelector(".location__status");
    var modeInputs = container.querySelectorAll(".location__modes input[type=radio]");
    var locateButton = container.querySelector("[data-location-locate]");
    var clearButton = container.querySelector("[data-location-clear]");
    var corners = []; // what the applicant clicked; a rectangle keeps its two corners here
    var layer = null;

    function mode() {
      if (shape === "point") return "point";
      for (var i = 0; i < modeInputs.length; i++) {
        if (modeInputs[i].checked) return modeInputs[i].value;
      }
      return shape === "zone" ? "polygon" : "point";
    }

    function setMode(value) {
      for (var i = 0; i < modeInputs.length; i++) modeInputs[i].checked = modeInputs[i].value === value;
    }

    function shapePoints() {
      if (mode() === "rectangle" && corners.length === 2) {
        var a = corners[0], b = corners[1];
        return [a, [a[0], b[1]], b, [b[0], a[1]]];
      }
      return corners.slice();
    }

    function say(template, values) {
      status.textContent = format(status.getAttribute(template), values || {});
    }

    area.hidden = false;
    loadSettings(container.getAttribute("data-settings-url")).then(function (settings) {
      var map = makeMap(mapElement, settings);
      mapElement.classList.add("location__map--crosshair");

      function draw() {
        if (layer) map.removeLayer(layer);
        var points = shapePoints();
        layer = L.featureGroup();
        if (points.length >= 3) {
          L.polygon(points, { weight: 3 }).addTo(layer);
        } else if (points.length === 2) {
          L.polyline(points, { weight: 3, dashArray: "6 6" }).addTo(layer);
        }
        corners.forEach(function (corner) {
          L.circleMarker(corner, { radius: 6, weight: 2, fillOpacity: 0.9 }).addTo(layer);
        });
        layer.addTo(map);
      }

      function write() {
        input.value = pointsText(shapePoints());
        draw();
      }

      function add(latlng) {
        var point = [round(latlng.lat), round(latlng.lng)];
        var current = mode();
        if (current === "point") corners = [point];
        else if (current === "rectangle" && corners.length >= 2) corners = [point];
        else corners.push(point);
        write();
        say("data-point-added", { point: point[0] + ", " + point[1], count: shapePoints().length });
      }

      function removeLast() {
        corners.pop();
        write();
        say("data-point-removed", { count: shapePoints().length });
      }

      function readInput() {
        var points = parsePoints(input.value);
        if (points === null) return; // leave it: the server says what is wrong
        corners = points;
        // Corners typed or sent before are a free shape, one point is a point: the
        // choice follows, so the next click continues what is there.
        if (points.length >= 3) setMode("polygon");
        else if (points.length === 1 && shape === "any") setMode("point");
        draw();
        if (points.length === 1) map.setView(points[0], Math.max(map.getZoom(), settings.zoom));
        else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { maxZoom: settings.maxZoom });
      }

      readInput();
      map.on("click", function (event) { add(event.latlng); });
      mapElement.addEventListener("keydown", function (event) {
        if (event.target !== mapElement) return;
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          add(map.getCenter());
        } else if (event.key === "Delete" || event.key === "Backspace") {
          event.preventDefault();
          if (corners.length) removeLast();
        }
      });
      input.addEventListener("change", readInput);
      for (var i = 0; i < modeInputs.length; i++) {
        modeInputs[i].addEventListener("change", function () {
          if (mode() === "point" && corners.length > 1) corners = corners.slice(-1);
          if (mode() === "rectangle" && corners.length > 2) corners = corners.slice(0, 2);
          write();
        });
      }
      clearButton.addEventListener("click", function () {
        corners = [];
        write();
        say("data-cleared");
      });
      // Address search: the register's address (forms_builder.street_views) moves the map.
      var searchButton = container.querySelector("[data-location-search]");
      var addressInput = document.getElementById(container.getAttribute("data-address-input"));
      if (searchButton && addressInput) {
        searchButton.addEventListener("click", function () {
          var query = addressInput.value.trim();
          if (!query) { addressInput.focus(); return; }
          var url = searchButton.getAttribute("data-location-search") + "?q=" + encodeURIComponent(query);
          fetch(url, { credentials: "same-origin" }).then(function (response) {
            return response.ok ? response.json() : { addresses: [] };
          }).then(function (data) {
            var found = (data.addresses || [])[0];
            if (!found) { say("data-address-not-found"); return; }
            map.setView([found.lat, found.lon], 18);
            say("data-address-found", { address: found.label });
          }).catch(function () { say("data-address-not-found"); });
        });
      }
      if (locateButton && navigator.geolocation) {
        locateButton.hidden = false;
        locateButton.addEventListener("click", function () {
          navigator.geolocation.getCurrentPosition(
            function (position) {
              map.setView([position.coords.latitude, position.coords.longitude], Math.max(settings.zoom, 18));
              say("data-located");
              mapElement.focus();
            },
            function () { say("data-not-located"); },
            { enableHighAccuracy: true, timeout: 10000 }
          );
        });
      }
    }).catch(function () {
      area.hidden = true; // no map: the inputs below still answer the question
    });
  }

  function setUpView(element) {
    var url = element.getAttribute("data-geometry-url");
    if (url) {
      if (typeof L === "undefined") return;
      fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("geometry " + response.status);
        return response.json();
      }).then(function (geometry) { showView(element, geometry); }).catch(function () {});
      return;
    }
    var geometry;
    try {
      geometry = JSON.parse(element.getAttribute("data-geometry"));
    } catch (error) {
      return;
    }
    showView(element, geometry);
  }

  function showView(element, geometry) {
    if (!geometry || typeof L === "undefined") return;
    var many = geometry.type === "MultiPoint" && geometry.coordinates.length > 500;
    var marker = many ? { radius: 4, renderer: L.canvas() } : { radius: 8 };
    element.hidden = false;
    loadSettings(element.getAttribute("data-settings-url")).then(function (settings) {
      var map = makeMap(element, settings);
      var shown = L.geoJSON(geometry, {
        pointToLayer: function (_feature, latlng) { return L.circleMarker(latlng, marker); }
      }).addTo(map);
      if (geometry.type === "Point") {
        var lonLat = geometry.coordinates;
        map.setView([lonLat[1], lonLat[0]], Math.min(settings.maxZoom, 18));
      } else {
        map.fitBounds(shown.getBounds(), { maxZoom: settings.maxZoom });
      }
    }).catch(function () { element.hidden = true; });
  }

  function start() {
    var questions = document.querySelectorAll("[data-location]");
    for (var i = 0; i < questions.length; i++) setUpQuestion(questions[i]);
    var views = document.querySelectorAll("[data-location-view]");
    for (var j = 0; j < views.length; j++) setUpView(views[j]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
