// The search page's map (views/search/index.ejs): the current page of results
// on a Leaflet map, behind a "Show map" button. The list stays the way to read
// and open the results; each marker's popup links to its assignment. The points
// come from the results region (data-map-points), which htmx replaces on every
// update, so the markers are drawn again after each swap.
(() => {
  const L = window.L;
  const toggle = document.getElementById('results-map-toggle');
  const panel = document.getElementById('results-map-panel');
  if (!L || !toggle || !panel) return;

  const data = panel.dataset;
  const note = document.getElementById('results-map-note');
  const SWEDEN = [
    [55.3, 10.9],
    [69.1, 24.2],
  ];
  // Leaflet writes attributions as HTML; the configured one is plain text.
  const asHtml = (text) => {
    const element = document.createElement('span');
    element.textContent = text;
    return element.innerHTML;
  };
  const points = () => {
    const results = document.getElementById('search-results');
    try {
      return JSON.parse((results && results.dataset.mapPoints) || '[]');
    } catch {
      return [];
    }
  };

  let map = null;
  let markers = null;
  const draw = () => {
    if (panel.hidden) return;
    if (!map) {
      map = L.map(document.getElementById('results-map'), {
        zoomControl: false,
        scrollWheelZoom: false,
        attributionControl: false,
      });
      L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
      L.control.attribution().addTo(map);
      L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: asHtml(data.attribution) }).addTo(map);
      markers = L.layerGroup().addTo(map);
    }
    map.invalidateSize();
    markers.clearLayers();
    const shown = points();
    note.textContent = shown.length ? '' : data.noPoints;
    for (const point of shown) {
      const link = document.createElement('a');
      link.href = point.url;
      link.textContent = point.title;
      L.marker([point.lat, point.lng], { title: point.title, alt: point.title }).bindPopup(link).addTo(markers);
    }
    if (shown.length)
      map.fitBounds(L.latLngBounds(shown.map((point) => [point.lat, point.lng])), { maxZoom: 12, padding: [24, 24] });
    else map.fitBounds(SWEDEN);
  };

  toggle.hidden = false;
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    toggle.textContent = panel.hidden ? toggle.dataset.show : toggle.dataset.hide;
    draw();
  });
  document.body.addEventListener('htmx:afterSettle', draw);
})();
