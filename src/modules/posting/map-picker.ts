import type { Config } from '../../config.js';
import type { ReferenceData } from '../../platform/reference-data.js';

// What the posting form's map needs besides the typed point: the tile server
// and where to look first. The script (public/js/map-picker.js) centres on the
// typed point, else on the typed village, else shows the chosen municipality.

/** South, west, north, east. */
type Bounds = [number, number, number, number];

export interface MapPickerView {
  tileUrl: string;
  attribution: string;
  /** The municipality the villages below belong to. */
  municipality: string;
  /** That municipality's villages by name: [lat, lng]. */
  localities: Record<string, [number, number]>;
  /**
   * Every municipality's villages' bounds, so a change of municipality moves the map without a
   * request. A municipality without villages in the reference data is left out (the script shows Sweden).
   */
  bounds: Record<string, Bounds>;
}

// Reference data is loaded once per app; so are the bounds (about 9 kB of JSON).
const boundsCache = new WeakMap<ReferenceData, Record<string, Bounds>>();

function municipalityBounds(reference: ReferenceData): Record<string, Bounds> {
  let bounds = boundsCache.get(reference);
  if (!bounds) {
    bounds = Object.fromEntries(
      reference.municipalities.flatMap((municipality) => {
        const localities = reference.localitiesOf(municipality.code);
        if (localities.length === 0) return [];
        const lats = localities.map((locality) => locality.lat);
        const lngs = localities.map((locality) => locality.lng);
        // Two decimals (about 1 km) are plenty for framing the map.
        const round = (value: number) => Math.round(value * 100) / 100;
        const box: Bounds = [
          round(Math.min(...lats)),
          round(Math.min(...lngs)),
          round(Math.max(...lats)),
          round(Math.max(...lngs)),
        ];
        return [[municipality.code, box]];
      }),
    );
    boundsCache.set(reference, bounds);
  }
  return bounds;
}

/** Undefined when the site has no map (MAP_TILE_URL blank): the typed field alone. */
export function mapPickerView(map: Config['map'], reference: ReferenceData, municipalityCode: string): MapPickerView | undefined {
  if (!map) return undefined;
  return {
    tileUrl: map.tileUrl,
    attribution: map.attribution,
    municipality: municipalityCode,
    localities: Object.fromEntries(
      reference.localitiesOf(municipalityCode).map((locality) => [locality.name, [locality.lat, locality.lng]]),
    ),
    bounds: municipalityBounds(reference),
  };
}
