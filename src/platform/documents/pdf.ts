/**
 * A small PDF builder for invoices, payslips and reports: A4, tagged (headings, paragraphs and
 * tables carry structure for screen readers), language sv-SE, title and author in the metadata, page
 * numbers "Sida 1 av 2" at the foot of every page.
 *
 * Font: Noto Sans (regular and bold) from the npm package `@expo-google-fonts/noto-sans`, licensed
 * under the SIL Open Font License 1.1 (the package's LICENSE_FONT; its code is MIT). The PDF
 * standard fonts that pdfkit has built in write å, ä and ö but not the Sámi letters (ŋ đ č ŧ ž)
 * that village and person names in the north need, so the font is embedded (as a subset of the
 * glyphs used). Chosen over `dejavu-fonts-ttf` (also free, Bitstream Vera licence) because it is
 * the current, maintained design of the two and its package states its licence in SPDX terms; and
 * because, unlike `@fontsource/*`, it ships TTF files, which pdfkit needs (not WOFF). We read the
 * .ttf files by path and never load the package's own JavaScript (written for Expo apps).
 *
 * Pages are buffered until `toBuffer()` so the page count is known when the numbers are written;
 * documents here are a few pages, so holding them in memory costs nothing worth streaming for.
 */
import * as fontkit from 'fontkit';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
const fontPackageDir = path.dirname(require.resolve('@expo-google-fonts/noto-sans/package.json'));

export const pdfFonts = {
  regular: path.join(fontPackageDir, '400Regular', 'NotoSans_400Regular.ttf'),
  bold: path.join(fontPackageDir, '700Bold', 'NotoSans_700Bold.ttf'),
} as const;

export const pdfContentType = 'application/pdf';

// The fonts are parsed once per process and shared by every document: the first text laid out
// with a freshly parsed Noto Sans costs 40–70 ms (its glyph positioning tables), twice per document
// with two weights. Each document still embeds its own subset. fontkit works synchronously, so
// documents built side by side never use a font at the same moment.
let parsedFonts: { regular: fontkit.Font; bold: fontkit.Font } | undefined;
function fonts() {
  const parse = (file: string) =>
    withGlyphsEncodedOnce(withoutCharacterlessGlyphs(fontkit.create(fs.readFileSync(file)) as fontkit.Font));
  parsedFonts ??= { regular: parse(pdfFonts.regular), bold: parse(pdfFonts.bold) };
  return parsedFonts;
}

/**
 * fontkit keeps each glyph it has made, with the characters it was made for, and pdfkit writes those characters
 * into the PDF's text layer (what is searched, copied and read aloud). A glyph first asked for without characters
 * (by the subsetter, as a part of a composed letter: the A in Á) would keep none, and every later document
 * sharing the font would have lost that letter's text ("A-5" read as "\u0001-5"). Such a glyph is made but not kept.
 */
function withoutCharacterlessGlyphs(font: fontkit.Font): fontkit.Font {
  const shared = font as unknown as {
    _glyphs: Record<number, unknown>;
    getGlyph(id: number, codePoints?: number[]): fontkit.Glyph;
  };
  const getGlyph = shared.getGlyph.bind(shared);
  shared.getGlyph = (id, codePoints) => {
    if (codePoints?.length || shared._glyphs[id]) return getGlyph(id, codePoints);
    const glyph = getGlyph(id, codePoints);
    delete shared._glyphs[id];
    return glyph;
  };
  return font;
}

/** A glyph as every subset embeds it: its outline's bytes, the glyphs it is composed of, its metrics. */
interface EmbeddedGlyph {
  bytes: Uint8Array;
  /** A composed glyph's parts: their glyph ids and where in `bytes` each id is written. */
  components: Array<{ glyphID: number; pos: number }> | undefined;
  advance: number;
  bearing: number;
}

interface TrueTypeSubset {
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: Array<{ advance: number; bearing: number }> };
  offset: number;
  includeGlyph(glyphId: number): number;
  _addGlyph(glyphId: number): number;
}

/**
 * Each document embeds the subset of the glyphs it uses, and fontkit's subsetter decoded every one of those glyphs'
 * outlines again for each document (most of a payslip's font embedding). A glyph's bytes, parts and metrics never
 * change, so they are taken from the font once per process (at most the font's few thousand glyphs, a few hundred
 * kilobytes); each subset still numbers its glyphs in the order the document uses them and writes its composed
 * glyphs' part ids anew, as fontkit's own `_addGlyph` does. Fonts with variations or CFF outlines (not ours) keep
 * fontkit's own path.
 */
function withGlyphsEncodedOnce(font: fontkit.Font): fontkit.Font {
  const shared = font as unknown as {
    _variationProcessor?: unknown;
    directory: { tables: Record<string, unknown> };
    loca: { offsets: number[] };
    _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array };
    getGlyph(id: number): fontkit.Glyph;
    createSubset(): TrueTypeSubset;
  };
  if (shared._variationProcessor || shared.directory.tables['CFF ']) return font;
  const embedded = new Map<number, EmbeddedGlyph>();
  const embeddedGlyph = (glyphId: number): EmbeddedGlyph => {
    let known = embedded.get(glyphId);
    if (known) return known;
    const glyph = shared.getGlyph(glyphId) as unknown as {
      _decode(): { numberOfContours: number; components?: Array<{ glyphID: number; pos: number }> } | null;
      _getMetrics(): { leftBearing: number };
      advanceWidth: number;
    };
    const outline = glyph._decode();
    const start = shared.loca.offsets[glyphId]!;
    const stream = shared._getTableStream('glyf');
    stream.pos += start;
    known = {
      bytes: new Uint8Array(stream.readBuffer(shared.loca.offsets[glyphId + 1]! - start)),
      components:
        outline && outline.numberOfContours < 0 ? outline.components!.map(({ glyphID, pos }) => ({ glyphID, pos })) : undefined,
      advance: glyph.advanceWidth,
      bearing: glyph._getMetrics().leftBearing,
    };
    embedded.set(glyphId, known);
    return known;
  };
  const createSubset = shared.createSubset.bind(shared);
  shared.createSubset = () => {
    const subset = createSubset();
    subset._addGlyph = (glyphId) => {
      const glyph = embeddedGlyph(glyphId);
      let bytes = glyph.bytes;
      if (glyph.components) {
        bytes = new Uint8Array(glyph.bytes);
        const view = new DataView(bytes.buffer);
        for (const component of glyph.components) view.setUint16(component.pos, subset.includeGlyph(component.glyphID));
      }
      subset.glyf.push(bytes);
      subset.loca.offsets.push(subset.offset);
      subset.hmtx.metrics.push({ advance: glyph.advance, bearing: glyph.bearing });
      subset.offset += bytes.length;
      return subset.glyf.length - 1;
    };
    return subset;
  };
  return font;
}

// Shaping a word (fontkit's layout: the glyph substitution and positioning tables) is most of the time a
// document takes. pdfkit keeps the shaped words of a font in a per-document object, and these are shared by
// every document instead, since the same labels and words recur in every payslip and invoice: pdfkit reads
// a cached run and copies it before changing positions, as it does within one document. Amounts and names
// make the set grow, so it starts over past a bound.
type LayoutCache = Record<string, unknown>;
const LAYOUT_CACHE_LIMIT = 20_000;
const sharedLayouts: { regular: LayoutCache; bold: LayoutCache; size: number } = {
  regular: Object.create(null) as LayoutCache,
  bold: Object.create(null) as LayoutCache,
  size: 0,
};
function layoutCaches() {
  if (
    ++sharedLayouts.size % 100 === 0 &&
    Object.keys(sharedLayouts.regular).length + Object.keys(sharedLayouts.bold).length > LAYOUT_CACHE_LIMIT
  ) {
    sharedLayouts.regular = Object.create(null) as LayoutCache;
    sharedLayouts.bold = Object.create(null) as LayoutCache;
  }
  return sharedLayouts;
}

export interface PdfOptions {
  title: string;
  author: string;
  subject?: string;
  /** BCP 47 language of the text; `sv-SE` unless the document is written in another language. */
  language?: string;
  /** Fixes the creation date (and with it the file id) so the same content gives the same bytes. */
  creationDate?: Date;
  /** The words at the foot of each page; Swedish by default. */
  pageLabel?: (page: number, pageCount: number) => string;
}

export interface PdfTableColumn {
  header: string;
  /** Amounts and counts read best right-aligned. */
  align?: 'left' | 'right' | 'center';
  /** Points, or `*` (the default) for an equal share of what is left. */
  width?: number | '*';
}

export type PdfHeadingLevel = 1 | 2 | 3;

interface TableCell {
  text: string;
  /** A header cell (in bold) for its row or its column. */
  header?: 'Row' | 'Column';
}

type StructureDictionary = { dictionary: { data: Record<string, unknown> } };

interface RuleStyle {
  color: string;
  thickness: number;
}

interface TableLayout {
  /** Points, or `*` for an equal share of what is left. */
  widths: ReadonlyArray<number | '*'>;
  aligns: ReadonlyArray<'left' | 'right' | 'center'>;
  padding: { top: number; bottom: number; left: number; right: number };
  /** Repeated at the top of each page the table runs onto. */
  header?: readonly TableCell[];
  rows: ReadonlyArray<readonly TableCell[]>;
  rules?: { header: RuleStyle; row: RuleStyle };
}

export interface PdfBuilder {
  heading(text: string, level?: PdfHeadingLevel): PdfBuilder;
  paragraph(text: string): PdfBuilder;
  /** Label and value pairs ("Fakturanummer: 1024"), labels in bold, as a two-column table without lines. */
  keyValues(entries: ReadonlyArray<readonly [label: string, value: string]>): PdfBuilder;
  table(columns: readonly PdfTableColumn[], rows: ReadonlyArray<ReadonlyArray<string>>): PdfBuilder;
  /** Writes the page numbers, ends the document and returns its bytes. The builder is spent afterwards. */
  toBuffer(): Promise<Buffer>;
}

// A4 with 2 cm margins, a little more at the foot for the page numbers.
const centimetre = 72 / 2.54;
const margins = { top: 2 * centimetre, left: 2 * centimetre, right: 2 * centimetre, bottom: 2.5 * centimetre };
const fontSizes = { body: 10.5, small: 9, heading: { 1: 18, 2: 14, 3: 12 } } as const;
const ink = '#1b1f1d';
const muted = '#4a524e';
const rule = '#c9d2cd';

const swedishPageLabel = (page: number, pageCount: number) => `Sida ${page} av ${pageCount}`;

interface PdfkitWriter {
  write(chunk: unknown): void;
}

let referencesWriteLatin1 = false;

/**
 * pdfkit turns every line it writes (the file's own lines and each line of a page's drawing operators, thousands a
 * document) into bytes one character at a time in JavaScript, and hands the stream plain Uint8Arrays that it then
 * copies into Buffers. Node's latin1 encoding makes the same bytes (each character's low byte) natively, as Buffers.
 * The document's own writer is replaced per document; the objects' writer (a class pdfkit does not export, reached
 * through the document's root object) once per process.
 */
function writeTextAsLatin1(doc: PDFKit.PDFDocument): void {
  const internals = doc as unknown as { _write(data: unknown): void; _offset: number; _root: PdfkitWriter };
  internals._write = (data) => {
    const bytes = data instanceof Uint8Array ? data : Buffer.from(`${String(data)}\n`, 'latin1');
    doc.push(bytes);
    internals._offset += bytes.length;
  };
  if (referencesWriteLatin1) return;
  const reference = Object.getPrototypeOf(internals._root) as PdfkitWriter;
  const write = reference.write;
  reference.write = function (this: PdfkitWriter, chunk) {
    write.call(this, chunk instanceof Uint8Array ? chunk : Buffer.from(`${String(chunk)}\n`, 'latin1'));
  };
  referencesWriteLatin1 = true;
}

export function createPdf(options: PdfOptions): PdfBuilder {
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    pdfVersion: '1.7',
    tagged: true,
    lang: options.language ?? 'sv-SE',
    displayTitle: true,
    bufferPages: true,
    // No default font (pdfkit would open Helvetica): the fonts are registered by name below.
    font: null as unknown as string,
    info: {
      Title: options.title,
      Author: options.author,
      ...(options.subject ? { Subject: options.subject } : {}),
      Creator: 'Uppdragsbanken',
      ...(options.creationDate ? { CreationDate: options.creationDate } : {}),
    },
  });
  // pdfkit takes a parsed fontkit font wherever it takes a file (its types say only a path). The family
  // names matter: table cells put the font back by its source and family, and only with a family does pdfkit
  // find the opened font again instead of opening it anew and comparing name tables (JSON) for every cell.
  doc.registerFont('regular', fonts().regular as unknown as string, 'regular');
  doc.registerFont('bold', fonts().bold as unknown as string, 'bold');
  const caches = layoutCaches();
  doc.font('bold');
  (doc as unknown as { _font: { layoutCache: LayoutCache } })._font.layoutCache = caches.bold;
  doc.font('regular');
  (doc as unknown as { _font: { layoutCache: LayoutCache } })._font.layoutCache = caches.regular;
  doc.fontSize(fontSizes.body).fillColor(ink);

  writeTextAsLatin1(doc);
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const contentWidth = () => doc.page.width - doc.page.margins.left - doc.page.margins.right;
  let blocks = 0;

  // Space above every block but the first, so a document starts at the top margin.
  const spaceBefore = (lines: number) => {
    if (blocks++ > 0) doc.moveDown(lines);
  };

  // A line under a table row: decoration, so marked as an artifact that screen readers skip.
  const drawRule = (x: number, width: number, color: string, thickness: number) => {
    doc.markContent('Artifact', { type: 'Layout' });
    doc
      .save()
      .lineWidth(thickness)
      .strokeColor(color)
      .moveTo(x, doc.y)
      .lineTo(x + width, doc.y)
      .stroke()
      .restore();
    doc.endMarkedContent();
  };

  // Tables are laid out here rather than by pdfkit's doc.table(), which measured and normalised every cell
  // through several generic passes (more than half of a payslip's time, see docs/PERFORMANCE.md) and does
  // not repeat the header row on a new page. The tags are the same: Table, TR, and TH (with its Scope) or TD.
  const drawTable = (table: TableLayout) => {
    const left = doc.page.margins.left;
    const fixed = table.widths.reduce<number>((sum, width) => sum + (width === '*' ? 0 : width), 0);
    const shares = table.widths.filter((width) => width === '*').length;
    const widths = table.widths.map((width) => (width === '*' ? Math.max(0, contentWidth() - fixed) / shares : width));
    const { padding } = table;
    const innerWidth = (column: number) => Math.max(1, widths[column]! - padding.left - padding.right);
    const useFont = (cell: TableCell) => doc.font(cell.header ? 'bold' : 'regular').fontSize(fontSizes.body);
    const cellHeight = (cell: TableCell, column: number) => {
      useFont(cell);
      // Most cells are one short line: its width answers from the shaped words, without wrapping the text.
      const oneLine = !cell.text.includes('\n') && doc.widthOfString(cell.text) <= innerWidth(column);
      const textHeight = oneLine ? doc.currentLineHeight(true) : doc.heightOfString(cell.text, { width: innerWidth(column) });
      return Math.max(textHeight, doc.currentLineHeight(true)) + padding.top + padding.bottom;
    };
    const rowHeight = (row: readonly TableCell[]) => Math.max(...row.map(cellHeight));
    const structure = doc.struct('Table');
    root.add(structure);

    const drawRow = (row: readonly TableCell[], height: number, ruleBelow: RuleStyle | undefined) => {
      const y = doc.y;
      const rowStructure = doc.struct('TR');
      structure.add(rowStructure);
      let x = left;
      row.forEach((cell, column) => {
        const cellStructure = doc.struct(cell.header ? 'TH' : 'TD');
        // The attributes pdfkit does not type: the table owner and whose header the cell is.
        if (cell.header) (cellStructure as unknown as StructureDictionary).dictionary.data.A = { O: 'Table', Scope: cell.header };
        rowStructure.add(cellStructure);
        const cellX = x;
        cellStructure.add(() => {
          useFont(cell).fillColor(ink);
          doc.text(cell.text, cellX + padding.left, y + padding.top, { width: innerWidth(column), align: table.aligns[column] });
        });
        cellStructure.end();
        x += widths[column]!;
      });
      rowStructure.end();
      doc.x = left;
      doc.y = y + height;
      if (ruleBelow) drawRule(left, x - left, ruleBelow.color, ruleBelow.thickness);
    };

    const bottom = () => doc.page.height - doc.page.margins.bottom;
    const header = table.header && { cells: table.header, height: rowHeight(table.header) };
    const startPage = () => {
      if (header) drawRow(header.cells, header.height, table.rules?.header);
    };
    startPage();
    for (const row of table.rows) {
      const height = rowHeight(row);
      // A row that does not fit goes to the next page whole, under the header again.
      if (doc.y + height > bottom() && doc.y > doc.page.margins.top + (header?.height ?? 0)) {
        doc.addPage();
        startPage();
      }
      drawRow(row, height, table.rules?.row);
    }
    structure.end();
    doc.font('regular').fontSize(fontSizes.body);
  };

  const builder: PdfBuilder = {
    heading(text, level = 1) {
      spaceBefore(level === 1 ? 0.6 : 0.9);
      root.add(
        doc.struct(`H${level}`, {}, () => {
          doc.font('bold').fontSize(fontSizes.heading[level]).fillColor(ink);
          doc.text(text, doc.page.margins.left, doc.y, { width: contentWidth() });
          doc.font('regular').fontSize(fontSizes.body);
        }),
      );
      doc.moveDown(0.3);
      return builder;
    },

    paragraph(text) {
      spaceBefore(0.5);
      root.add(
        doc.struct('P', {}, () => {
          doc.font('regular').fontSize(fontSizes.body).fillColor(ink);
          doc.text(text, doc.page.margins.left, doc.y, { width: contentWidth(), lineGap: 2 });
        }),
      );
      return builder;
    },

    keyValues(entries) {
      if (entries.length === 0) return builder;
      spaceBefore(0.5);
      drawTable({
        widths: [Math.min(160, contentWidth() / 3), '*'],
        aligns: ['left', 'left'],
        padding: { top: 2, bottom: 2, left: 0, right: 8 },
        rows: entries.map(([label, value]) => [{ text: label, header: 'Row' }, { text: value }]),
      });
      return builder;
    },

    table(columns, rows) {
      spaceBefore(0.7);
      drawTable({
        widths: columns.map((column) => column.width ?? '*'),
        aligns: columns.map((column) => column.align ?? 'left'),
        padding: { top: 4, bottom: 4, left: 4, right: 4 },
        header: columns.map((column) => ({ text: column.header, header: 'Column' })),
        rows: rows.map((row) => columns.map((_, index) => ({ text: row[index] ?? '' }))),
        rules: { header: { color: ink, thickness: 1 }, row: { color: rule, thickness: 0.5 } },
      });
      return builder;
    },

    async toBuffer() {
      root.end();
      const label = options.pageLabel ?? swedishPageLabel;
      const { start, count } = doc.bufferedPageRange();
      for (let index = start; index < start + count; index++) {
        doc.switchToPage(index);
        // The foot lies inside the bottom margin; with the margin lifted, pdfkit does not start a
        // new page for text written there.
        const bottom = doc.page.margins.bottom;
        doc.page.margins.bottom = 0;
        doc.markContent('Artifact', { type: 'Pagination' });
        doc
          .font('regular')
          .fontSize(fontSizes.small)
          .fillColor(muted)
          .text(label(index - start + 1, count), doc.page.margins.left, doc.page.height - bottom + 0.6 * centimetre, {
            width: contentWidth(),
            align: 'right',
            lineBreak: false,
          });
        doc.endMarkedContent();
        doc.page.margins.bottom = bottom;
      }
      doc.end();
      return finished;
    },
  };
  return builder;
}
