import { expect } from 'chai';
import * as fontkit from 'fontkit';
import fs from 'node:fs';
import { inflateSync } from 'node:zlib';
import { getDocumentProxy, extractText } from 'unpdf';
import { createPdf, pdfFonts } from '../../../src/platform/documents/pdf.js';

// Text is read back with pdf.js (through unpdf), the engine Firefox uses to show PDFs: what it
// extracts is what a reader can search and copy, and what a screen reader gets.

const swedishAndSami =
  'Åsa Öberg från Ärtemark och Häggnäs, Renée Müller, Björn, Áilu Ŋuolla och Áŋŋel Máŧŧá i Čeavččageađge, Ŧeahkká Žužžu, Šiellá Đuoddara och Jovnna Šášša';
const letters = [...'åäöÅÄÖéüŋđčŧžšáŊĐČŦŽŠÁ'];

async function readPdf(bytes: Buffer) {
  const pdf = await getDocumentProxy(new Uint8Array(bytes)); // a copy: pdf.js takes over its buffer
  const { text } = await extractText(pdf, { mergePages: false });
  const info = (await pdf.getMetadata()).info as Record<string, unknown>;
  return { pdf, pages: text, info };
}

function invoice(rows: number, creationDate = new Date('2026-01-15T08:00:00Z')) {
  return createPdf({ title: 'Faktura 1024', author: 'Rusksele byaförening', subject: 'Snöskottning', creationDate })
    .heading('Faktura 1024')
    .paragraph(`Till ${swedishAndSami}.`)
    .keyValues([
      ['Fakturanummer', '1024'],
      ['Förfallodatum', '2026-02-15'],
    ])
    .heading('Rader', 2)
    .table(
      [
        { header: 'Beskrivning' },
        { header: 'Antal', align: 'right', width: 50 },
        { header: 'Belopp', align: 'right', width: 90 },
      ],
      Array.from({ length: rows }, (_, index) => [
        `Snöskottning vid Ŋuolla ${index + 1}`,
        String(index + 1),
        `${(index + 1) * 125},00 kr`,
      ]),
    );
}

describe('platform/documents/pdf', () => {
  it('when names hold Swedish and Sámi letters, then every letter comes back out of the PDF', async () => {
    const { pages } = await readPdf(await invoice(3).toBuffer());
    const text = pages.join('\n').replace(/\s+/g, ' '); // lines wrap where the page ends
    expect(text).to.include(swedishAndSami);
    for (const letter of letters) expect(text, letter).to.include(letter);
    expect(text).to.include('Snöskottning vid Ŋuolla 3');
  });

  it('when an earlier document drew a composed letter (Á from A), then a later document still reads A as A', async () => {
    // The fonts are shared by every document of the process; the first one's subset used to leave the bare A
    // without its character, so later documents lost it from their text ("A-5" came out as "\u0001-5").
    for (const weight of ['regular', 'bold'] as const) {
      const composed = createPdf({ title: 'Á', author: 'X' });
      await (weight === 'bold' ? composed.heading('Ávvir Ŋ Č') : composed.paragraph('Ávvir Ŋ Č')).toBuffer();
      const later = createPdf({ title: 'A', author: 'X' });
      const bytes = await (weight === 'bold' ? later.heading('Faktura A-5') : later.paragraph('Faktura A-5')).toBuffer();
      expect((await readPdf(bytes)).pages.join('\n'), weight).to.include('Faktura A-5');
    }
  });

  it('when later documents embed glyphs the process has embedded before, then the font file is fontkit’s own subset', async () => {
    // pdf.ts decodes each glyph once per process; a document must still embed exactly what fontkit's subsetter makes
    // from a freshly opened font (composed letters included: Á is A and an accent, renumbered in each subset).
    const text = 'Áilu Ŋuolla i Čeavččageađge betalar 1 234,50 kr';
    const render = () => createPdf({ title: 'T', author: 'X' }).paragraph(text).toBuffer();
    await render();
    const raw = (await render()).toString('latin1');
    const embedded = [...raw.matchAll(/\/FontFile2 (\d+) 0 R/g)].map(([, id]) => {
      const stream = new RegExp(`\n${id} 0 obj\n[\\s\\S]*?\nstream\n([\\s\\S]*?)\nendstream`).exec(raw)!;
      return inflateSync(Buffer.from(stream[1]!, 'latin1'));
    });
    const fresh = fontkit.create(fs.readFileSync(pdfFonts.regular)) as fontkit.Font;
    const subset = fresh.createSubset();
    // pdfkit lays text out word by word, each with the space after it, and numbers glyphs as it meets them.
    for (const words of [text, 'Sida 1 av 1'])
      for (const word of words.match(/[^ ]* |[^ ]+$/g)!)
        for (const glyph of fresh.layout(word).glyphs) subset.includeGlyph(glyph);
    expect(embedded.some((font) => font.equals(Buffer.from(subset.encode())))).to.equal(true);
  });

  it('when the PDF is written, then Noto Sans regular and bold are embedded and no built-in font is used', async () => {
    const raw = (await invoice(3).toBuffer()).toString('latin1');
    expect(raw).to.match(/\/FontFile[23] \d+ 0 R/);
    expect(raw).to.match(/\/BaseFont \/[A-Z]{6}\+NotoSans-Regular/);
    expect(raw).to.match(/\/BaseFont \/[A-Z]{6}\+NotoSans-Bold/);
    expect(raw).not.to.match(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect(pdfFonts.regular).to.match(/NotoSans_400Regular\.ttf$/);
  });

  it('when the PDF is written, then it is tagged, in sv-SE, A4, with its title and author', async () => {
    const bytes = await invoice(3).toBuffer();
    const raw = bytes.toString('latin1');
    expect(raw).to.include('/Lang (sv-SE)');
    expect(raw).to.match(/\/MarkInfo \d+ 0 R/);
    expect(raw).to.include('/Marked true');
    expect(raw).to.include('/DisplayDocTitle true');
    const { pdf, info } = await readPdf(bytes);
    expect(info).to.include({
      Title: 'Faktura 1024',
      Author: 'Rusksele byaförening',
      Subject: 'Snöskottning',
      Language: 'sv-SE',
    });
    const page = await pdf.getPage(1);
    expect(page.view.map(Math.round)).to.deep.equal([0, 0, 595, 842]); // A4 in points
  });

  it('when the document has headings, a paragraph and tables, then the structure tree says so', async () => {
    const { pdf } = await readPdf(await invoice(3).toBuffer());
    const tree = await (await pdf.getPage(1)).getStructTree();
    const roles: string[] = [];
    const walk = (node: { role?: string; children?: unknown[] }) => {
      if (node.role) roles.push(node.role);
      for (const child of node.children ?? []) walk(child as { role?: string; children?: unknown[] });
    };
    walk(tree as unknown as { children: unknown[] });
    expect(roles.slice(0, 4)).to.deep.equal(['Root', 'Document', 'H1', 'P']);
    expect(roles).to.include.members(['H2', 'Table', 'TR', 'TH', 'TD']);
    // Header cells: 2 in the key/value block (one per row), 3 in the table's header row.
    expect(roles.filter((role) => role === 'TH')).to.have.length(5);
  });

  it('when the content runs over several pages, then each page says "Sida n av N" at its foot', async () => {
    const { pages } = await readPdf(await invoice(80).toBuffer());
    expect(pages.length).to.be.greaterThan(2);
    pages.forEach((text, index) => expect(text.trimEnd()).to.match(new RegExp(`Sida ${index + 1} av ${pages.length}$`)));
    expect(pages.join('\n')).to.include('Snöskottning vid Ŋuolla 80');
  });

  it('when the document is in English, then the page label can say so', async () => {
    const pdf = createPdf({
      title: 'Invoice',
      author: 'X',
      language: 'en-GB',
      pageLabel: (page, count) => `Page ${page} of ${count}`,
    });
    const bytes = await pdf.paragraph('Hello').toBuffer();
    const { pages, info } = await readPdf(bytes);
    expect(pages[0]).to.include('Page 1 of 1');
    expect(info.Language).to.equal('en-GB');
  });

  it('when the same content is written twice with a fixed creation date, then the bytes are the same', async () => {
    const first = await invoice(5).toBuffer();
    const second = await invoice(5).toBuffer();
    expect(first.equals(second)).to.equal(true);
    const otherDate = await invoice(5, new Date('2026-01-16T08:00:00Z')).toBuffer();
    expect(first.equals(otherDate)).to.equal(false);
  });
});
