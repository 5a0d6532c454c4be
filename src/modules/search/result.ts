import type { CompensationType } from '../assignments/index.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import type { SearchParams } from './params.js';

// What every search engine answers, and the small pieces both engines share so
// that they answer alike (facet names, distance, excerpts, highlight markers).

/** Wraps a matched part in highlights: private-use characters, never HTML. */
export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';

export interface SearchHit {
  id: number;
  title: string;
  url: string;
  category: string;
  municipality: { code: string; name: string };
  locality: { slug: string; name: string } | null;
  compensation: { type: CompensationType; amountSek: number | null };
  organisation: string;
  /** A short piece of the description around the match, plain text. */
  excerpt: string;
  publishedAt: string;
  applyBy: string | null;
  workTraining: boolean;
  /** The exact point, else the locality's; absent when neither is known. */
  location?: { lat: number; lng: number };
  /** Present when `near` was given and the hit has a location. */
  distanceKm?: number;
  /** Title and excerpt with matched parts between HIGHLIGHT_START and HIGHLIGHT_END. */
  highlight?: { title?: string; excerpt?: string };
}

export const FACET_NAMES = ['category', 'municipality', 'locality', 'compensation', 'workTraining'] as const;
export type FacetName = (typeof FACET_NAMES)[number];
export type Facets = Record<FacetName, Record<string, number>>;

export type EngineName = 'meilisearch' | 'postgres';

export interface SearchResult {
  hits: SearchHit[];
  totalHits: number;
  page: number;
  totalPages: number;
  facets: Facets;
  engine: EngineName;
}

export interface SearchOptions {
  publicUrl: string;
  reference: ReferenceData;
  /** "Now" for Meilisearch's last-day-to-apply filter (PostgreSQL compares with the day in Stockholm, as openAssignments does). */
  now?: Date;
}

export interface SearchEngine {
  readonly name: EngineName;
  search(params: SearchParams, options: SearchOptions): Promise<SearchResult>;
}

/** True when the search narrows this facet, so its counts must ignore its own selection. */
export function isFacetSelected(params: SearchParams, facet: FacetName): boolean {
  switch (facet) {
    case 'category':
      return params.categories.length > 0;
    case 'municipality':
      return params.municipalities.length > 0;
    case 'locality':
      return params.locality !== undefined;
    case 'compensation':
      return params.compensation.length > 0;
    case 'workTraining':
      return params.workTraining;
  }
}

/** The same search without the selection of one facet (disjunctive facet counts). */
export function withoutFacet(params: SearchParams, facet: FacetName): SearchParams {
  switch (facet) {
    case 'category':
      return { ...params, categories: [] };
    case 'municipality':
      return { ...params, municipalities: [] };
    case 'locality':
      return { ...params, locality: undefined };
    case 'compensation':
      return { ...params, compensation: [] };
    case 'workTraining':
      return { ...params, workTraining: false };
  }
}

// Meilisearch's mean earth radius, so both engines agree on every distance.
const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance by the haversine formula. */
export function distanceKm(from: { lat: number; lng: number }, to: { lat: number; lng: number }): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = radians(to.lat - from.lat);
  const dLng = radians(to.lng - from.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(from.lat)) * Math.cos(radians(to.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Kilometres to 0.1 km, as the API shows them. */
export function roundedKm(km: number): number {
  return Math.round(km * 10) / 10;
}

/** Text as stored, without characters that would pass for highlight markers. */
export function withoutMarkers(text: string): string {
  return text.replace(/[\uE000\uE001]/g, '');
}
