// Code page 437 ("PC8" in SIE files: the SIE-gruppen's "SIE filformat ver 4B", #FORMAT): the IBM PC's character
// set, which SIE 1–4 files use whatever the program. Node's TextDecoder knows no CP437 (the WHATWG encodings
// have IBM866, not 437) and iconv-lite is only a transitive dependency here, so the 128 upper characters are a
// table of their own; ASCII (0x00–0x7F) is itself.

const UPPER_HALF =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const BYTE_OF = new Map([...UPPER_HALF].map((character, index) => [character, 0x80 + index]));

/**
 * Text as CP437 bytes. A character the code page lacks becomes its base letter when it has one in it (ŋ and ø
 * have none in NFKD and become "?", as do emoji); the file is for bookkeeping programs, so "?" is a visible
 * stand-in rather than a silent loss.
 */
export function encodeCp437(text: string): Buffer {
  const bytes: number[] = [];
  for (const character of text.normalize('NFC')) bytes.push(byteFor(character));
  return Buffer.from(bytes);
}

function byteFor(character: string): number {
  const code = character.codePointAt(0)!;
  if (code < 0x80) return code;
  const byte = BYTE_OF.get(character);
  if (byte !== undefined) return byte;
  const base = character.normalize('NFKD').replace(/\p{M}/gu, '');
  if (base.length === 1 && base !== character) return byteFor(base);
  return 0x3f; // "?"
}

export function decodeCp437(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : UPPER_HALF[byte - 0x80];
  return text;
}
