import type { Locality, ReferenceData } from '../../platform/reference-data.js';

// Villages as people type them in the distance field (and as saved searches
// keep them): the name, with the municipality when the name is not unique.

// Reference data is loaded once per app, so are the village names.
const villageIndex = new WeakMap<ReferenceData, { byName: Map<string, Locality[]>; ambiguous: Set<string> }>();

function villagesByName(reference: ReferenceData) {
  let index = villageIndex.get(reference);
  if (!index) {
    const byName = new Map<string, Locality[]>();
    for (const locality of reference.localityBySlug.values()) {
      const key = locality.name.toLocaleLowerCase('sv');
      byName.set(key, [...(byName.get(key) ?? []), locality]);
    }
    const ambiguous = new Set([...byName].filter(([, list]) => list.length > 1).map(([name]) => name));
    index = { byName, ambiguous };
    villageIndex.set(reference, index);
  }
  return index;
}

/** How a village is written in the distance field: its name, with the municipality when the name is not unique. */
export function villageLabel(locality: Locality, reference: ReferenceData): string {
  if (!villagesByName(reference).ambiguous.has(locality.name.toLocaleLowerCase('sv'))) return locality.name;
  return `${locality.name}, ${reference.municipalityByCode.get(locality.municipalityCode)?.shortName ?? locality.municipalityCode}`;
}

/**
 * The village typed in the distance field, as the posting form reads one: its
 * name, any case; "Name, Municipality" or "Name (Municipality)" when several
 * villages share the name (one in a chosen municipality also settles it).
 */
export function findVillage(
  typed: string,
  reference: ReferenceData,
  chosenMunicipalities: readonly string[] = [],
): { locality?: Locality; error?: 'fromUnknown' | 'fromAmbiguous' } {
  const { byName } = villagesByName(reference);
  const match = /^\s*([^,(]+?)\s*(?:[,(]\s*([^)]+?)\s*\)?)?\s*$/.exec(typed);
  if (!match) return { error: 'fromUnknown' };
  const candidates = byName.get(match[1]!.toLocaleLowerCase('sv')) ?? [];
  const municipalityName = match[2]?.toLocaleLowerCase('sv');
  const inMunicipality = municipalityName
    ? candidates.filter((locality) => {
        const municipality = reference.municipalityByCode.get(locality.municipalityCode);
        return [municipality?.shortName, municipality?.name].some((name) => name?.toLocaleLowerCase('sv') === municipalityName);
      })
    : candidates;
  if (inMunicipality.length === 1) return { locality: inMunicipality[0] };
  if (inMunicipality.length === 0) return { error: 'fromUnknown' };
  const chosen = inMunicipality.filter((locality) => chosenMunicipalities.includes(locality.municipalityCode));
  return chosen.length === 1 ? { locality: chosen[0] } : { error: 'fromAmbiguous' };
}
