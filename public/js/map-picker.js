// The posting form's map (views/postings/form.ejs): a Leaflet map beside the
// typed "lat, lng" field, kept in step with it both ways. The field stays the
// form's only input and the accessible way to set the place; without this
// script, or without Leaflet, the field works alone and the map stays hidden.
// Tiles that do not load (no network) leave a grey map that still sets points.
(() => {
  const L = window.L;
  const picker = document.getElementById('point-map-picker');
  const field = document.getElementById('point');
  if (!L || !picker || !field) return;

  const container = document.getElementById('point-map');
  const clearButton = document.getElementById('point-clear');
  const status = document.getElementById('point-map-status');
  const localityField = document.getElementById('locality');
  const municipalityField = document.getElementById('municipality');
  const data = picker.dataset;
  const bounds = JSON.parse(data.bounds);
  const SWEDEN = [55.3, 10.9, 69.1, 24.2]; // for a municipality without villages in the reference data
  // The villages of the municipality the page was made for; none after a change of municipality.
  const localities = JSON.parse(data.localities);
  const chosenMunicipality = () => (municipalityField ? municipalityField.value : data.municipality);

  // The same form the server accepts (src/modules/assignments/form.ts).
  const POINT = /^\s*(-?\d{1,3}(?:\.\d{1,12})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,12})?)\s*$/;
  const typedPoint = () => {
    const match = POINT.exec(field.value);
    if (!match) return null;
    const [lat, lng] = [Number(match[1]), Number(match[2])];
    return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? L.latLng(lat, lng) : null;
  };
  const localityPoint = () => {
    if (chosenMunicipality() !== data.municipality) return null;
    const name = localityField ? localityField.value.trim().toLocaleLowerCase('sv') : '';
    const found = Object.keys(localities).find((candidate) => candidate.toLocaleLowerCase('sv') === name);
    return found ? L.latLng(localities[found][0], localities[found][1]) : null;
  };
  // Leaflet writes attributions as HTML; the configured one is plain text.
  const asHtml = (text) => {
    const element = document.createElement('span');
    element.textContent = text;
    return element.innerHTML;
  };

  picker.hidden = false; // before the map is made, so Leaflet can measure it
  const map = L.map(container, { zoomControl: false, scrollWheelZoom: false, attributionControl: false });
  L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
  L.control.attribution().addTo(map);
  L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: asHtml(data.attribution) }).addTo(map);

  let marker = null;
  const showMarker = (latLng) => {
    if (marker) {
      marker.setLatLng(latLng);
      return;
    }
    marker = L.marker(latLng, { draggable: true, keyboard: false, alt: data.marker }).addTo(map);
    marker.on('dragend', () => place(marker.getLatLng()));
  };
  const removeMarker = () => {
    if (marker) marker.remove();
    marker = null;
  };
  const showWhereToLook = () => {
    const village = localityPoint();
    const area = bounds[chosenMunicipality()] || SWEDEN;
    if (village) map.setView(village, 12);
    else map.fitBounds([area.slice(0, 2), area.slice(2)], { maxZoom: 11 });
  };

  /** A point chosen on the map goes into the field, as "lat, lng" with 6 decimals (about 0.1 m). */
  function place(latLng) {
    const wrapped = latLng.wrap();
    field.value = `${wrapped.lat.toFixed(6)}, ${wrapped.lng.toFixed(6)}`;
    showMarker(wrapped);
    status.textContent = `${data.placed} ${field.value}`;
  }

  const start = typedPoint();
  if (start) {
    showMarker(start);
    map.setView(start, 13);
  } else {
    showWhereToLook();
  }

  map.on('click', (event) => place(event.latlng));
  // Keyboard: the arrow keys and +/- are Leaflet's; Enter or space sets the place
  // in the middle of the map (marked while the map has focus, see main.css).
  container.addEventListener('keydown', (event) => {
    if (event.target !== container || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    place(map.getCenter());
  });
  field.addEventListener('input', () => {
    const point = typedPoint();
    if (point) {
      showMarker(point);
      map.setView(point, Math.max(map.getZoom(), 13), { animate: false });
    } else if (field.value.trim() === '') {
      removeMarker();
    }
  });
  // A chosen point stays put; without one, the map follows the municipality and village.
  for (const placeField of [localityField, municipalityField]) {
    if (placeField)
      placeField.addEventListener('change', () => {
        if (!marker) showWhereToLook();
      });
  }
  clearButton.addEventListener('click', () => {
    field.value = '';
    removeMarker();
    status.textContent = data.cleared;
  });
})();
