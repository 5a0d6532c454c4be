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
  const parse = (file: string) => fontkit.create(fs.readFileSync(file)) as fontkit.Font;
  parsedFonts ??= { regular: parse(pdfFonts.regular), bold: parse(pdfFonts.bold) };
  return parsedFonts;
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

// Options pdfkit 0.17+ understands that @types/pdfkit (0.17) does not describe yet: a table's
// structure parent, which makes the table tagged (Table/TR/TH/TD), and header cells' scope.
type TaggedTableOptions = PDFKit.Mixins.TableOptions & { structParent: PDFKit.PDFStructureElement };
type TaggedCell = PDFKit.Mixins.CellOptions & { scope?: 'column' | 'row' | 'both' };

export function createPdf(options: PdfOptions): PdfBuilder {
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    pdfVersion: '1.7',
    tagged: true,
    lang: options.language ?? 'sv-SE',
    displayTitle: true,
    bufferPages: true,
    // pdfkit takes a parsed fontkit font wherever it takes a file (its types say only a path).
    font: fonts().regular as unknown as string,
    info: {
      Title: options.title,
      Author: options.author,
      ...(options.subject ? { Subject: options.subject } : {}),
      Creator: 'Uppdragsbanken',
      ...(options.creationDate ? { CreationDate: options.creationDate } : {}),
    },
  });
  doc.registerFont('regular', fonts().regular as unknown as string);
  doc.registerFont('bold', fonts().bold as unknown as string);
  doc.font('regular').fontSize(fontSizes.body).fillColor(ink);

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
      const table = doc.table({
        structParent: root,
        position: { x: doc.page.margins.left },
        columnStyles: [{ width: Math.min(160, contentWidth() / 3) }, { width: '*' }],
        defaultStyle: { border: 0, padding: { top: 2, bottom: 2, left: 0, right: 8 } },
      } as TaggedTableOptions);
      for (const [label, value] of entries) {
        const labelCell: TaggedCell = { text: label, type: 'TH', scope: 'row', font: { src: 'bold' }, textColor: ink };
        table.row([labelCell, { text: value, textColor: ink }]);
      }
      table.end();
      doc.x = doc.page.margins.left;
      return builder;
    },

    table(columns, rows) {
      spaceBefore(0.7);
      const left = doc.page.margins.left;
      const width = contentWidth();
      const table = doc.table({
        structParent: root,
        position: { x: left },
        maxWidth: width,
        columnStyles: columns.map((column) => ({ width: column.width ?? '*', align: { x: column.align ?? 'left', y: 'top' } })),
        // Cell borders would be tagged as cell content, and pdfkit writes a BorderColor attribute
        // with nulls for the sides without one (invalid); the rules under rows are drawn below instead.
        defaultStyle: { border: 0, padding: { top: 4, bottom: 4, left: 4, right: 4 }, textColor: ink },
      } as TaggedTableOptions);
      table.row(
        columns.map((column): TaggedCell => ({ text: column.header, type: 'TH', scope: 'column', font: { src: 'bold' } })),
      );
      drawRule(left, width, ink, 1);
      for (const row of rows) {
        table.row(columns.map((_, index) => row[index] ?? ''));
        drawRule(left, width, rule, 0.5);
      }
      table.end();
      doc.x = left;
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
