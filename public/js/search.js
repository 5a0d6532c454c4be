// The search page (views/search/index.ejs). "Use my position" exists only with
// JavaScript and asks the browser for the position only when the person presses
// it (the press is the consent); the position goes into the form's hidden near
// field and the form is sent, so it lands in the URL like any other choice.
// htmx (loaded before this) replaces the filters on every update, hence the
// delegated click and the reveal after each swap.

// The filters sit in a <details> that a phone shows closed; htmx renders it anew
// on every update, so one the person has opened is opened again in the new
// markup before it is swapped in (afterwards would be too late: htmx puts the
// focus back on the ticked box during the swap, and a closed box takes none).
(() => {
  const FILTERS_START_TAG = '<details id="search-filters"';
  document.body.addEventListener('htmx:beforeSwap', (event) => {
    const filters = document.getElementById('search-filters');
    const response = event.detail.serverResponse;
    if (filters?.open && typeof response === 'string' && response.includes(FILTERS_START_TAG)) {
      event.detail.serverResponse = response.replace(FILTERS_START_TAG, `${FILTERS_START_TAG} open`);
    }
  });
})();

(() => {
  const form = document.getElementById('search-form');
  if (!form || !('geolocation' in window.navigator)) return;

  const reveal = () => {
    const area = document.getElementById('near-me-area');
    if (area) area.hidden = false;
  };
  reveal();
  document.body.addEventListener('htmx:afterSettle', reveal);

  form.addEventListener('click', (event) => {
    const button = event.target instanceof window.Element ? event.target.closest('#near-me') : null;
    if (!button) return;
    const status = document.getElementById('near-me-status');
    status.textContent = button.dataset.locating;
    button.disabled = true;
    window.navigator.geolocation.getCurrentPosition(
      (position) => {
        // Three decimals (about 100 m): enough for a distance, and no finer a trace of the person in the URL.
        const { latitude, longitude } = position.coords;
        document.getElementById('near').value = `${latitude.toFixed(3)},${longitude.toFixed(3)}`;
        document.getElementById('from').value = '';
        form.requestSubmit();
      },
      () => {
        status.textContent = button.dataset.failed;
        button.disabled = false;
      },
      { maximumAge: 600_000, timeout: 15_000 },
    );
  });
})();
