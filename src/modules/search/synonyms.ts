// Words people use for the same work. Each group is a set of equivalent
// expressions; Meilisearch wants a map word → [words], so every member of a
// group gets all the others (mutual synonyms). Multi-word expressions are
// matched as phrases ("skotta snö"). Lower case; Meilisearch compares
// normalised text, and the folded copies of the fields cover words typed
// without å, ä and ö.

export const SYNONYM_GROUPS: ReadonlyArray<readonly string[]> = [
  ['snöskottning', 'snöröjning', 'skotta snö', 'snöplogning', 'ploga snö'],
  ['gräsklippning', 'klippa gräs', 'gräsklippare', 'gräsmatta'],
  ['webbsida', 'hemsida', 'webbplats', 'sajt'],
  ['städning', 'städa', 'storstädning', 'städhjälp'],
  ['barnvakt', 'barnpassning', 'passa barn', 'barnvaktning'],
  ['vedhuggning', 'hugga ved', 'ved', 'vedklyvning', 'klyva ved'],
  ['flytthjälp', 'flytt', 'flytta', 'bära', 'bärhjälp'],
  ['målning', 'måla', 'målare', 'målningsarbete'],
  ['trädgårdsarbete', 'trädgård', 'trädgårdsskötsel', 'trädgårdshjälp'],
  ['ogräsrensning', 'rensa ogräs', 'ogräs', 'rensa rabatter'],
  ['snickeri', 'snickra', 'snickare', 'snickeriarbete'],
  ['reparation', 'reparera', 'laga', 'lagning'],
  ['bokföring', 'redovisning', 'kassör', 'bokslut'],
  ['skjuts', 'skjutsa', 'bilskjuts', 'körning', 'chaufför'],
  ['äldre', 'pensionärer', 'seniorer'],
  ['sällskap', 'besöksvän', 'umgänge', 'promenadsällskap'],
  ['inköp', 'handla', 'matinköp', 'matkassar', 'ärenden'],
  ['fönsterputs', 'putsa fönster', 'fönstertvätt'],
  ['servering', 'servera', 'servitör', 'servitris'],
  ['disk', 'diska', 'diskning'],
  ['röjning', 'sly', 'slyröjning', 'röja sly'],
  ['hundvakt', 'hundpassning', 'rasta hund', 'hundrastning'],
  ['lövkrattning', 'kratta löv', 'krattning'],
  ['datorhjälp', 'it-hjälp', 'datorsupport', 'datasupport'],
  ['läxhjälp', 'läxläsning', 'studiehjälp'],
  ['evenemang', 'arrangemang', 'tillställning', 'event'],
  ['midsommar', 'midsommarfirande', 'midsommarafton'],
  ['fiskevård', 'fiskevårdsdag', 'fiskevårdsarbete'],
  ['takrännor', 'hängrännor', 'takränna', 'stuprör'],
  ['staket', 'stängsel', 'inhägnad', 'grind'],
  ['fotografering', 'fotografera', 'fotograf'],
  ['översättning', 'översätta', 'tolkning', 'tolk'],
  ['bortforsling', 'forsla bort', 'tippkörning', 'skrotning'],
  ['matlagning', 'laga mat', 'kock', 'matlagare'],
  ['skanning', 'skanna', 'digitalisering', 'digitalisera'],
  ['guidning', 'guide', 'guidad tur', 'visning'],
  ['tapetsering', 'tapetsera', 'tapeter'],
  ['vaktmästare', 'fastighetsskötsel', 'fastighetsskötare'],
];

/** The groups as Meilisearch's synonyms setting: every member maps to the rest of its group. */
export function synonymMap(groups: ReadonlyArray<readonly string[]> = SYNONYM_GROUPS): Record<string, string[]> {
  const map: Record<string, Set<string>> = {};
  for (const group of groups) {
    for (const word of group) {
      const others = (map[word] ??= new Set<string>());
      for (const other of group) if (other !== word) others.add(other);
    }
  }
  return Object.fromEntries(
    Object.entries(map)
      .sort(([a], [b]) => a.localeCompare(b, 'sv'))
      .map(([word, others]) => [word, [...others].sort((a, b) => a.localeCompare(b, 'sv'))]),
  );
}
