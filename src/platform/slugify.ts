/** "Snöskottning vid bygdegården i Rusksele" → "snoskottning-vid-bygdegarden-i-rusksele". */
export function slugify(text: string, maxLength = 80): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // å ä ö é → a a o e
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
}

/**
 * What two spellings of one word have in common: "Motorsåg", "motorsag" and "MOTOR-SÅG" all give "motorsag";
 * "B-körkort" and "B körkort" give "bkorkort". Typed words are matched to a vocabulary on this key.
 */
export function foldedKey(text: string): string {
  return slugify(text, 200).replaceAll('-', '');
}
