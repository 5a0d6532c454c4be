import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/**
 * Sends a generated document (PDF, CSV, XLSX) as a download, the one way:
 *
 * - `Content-Disposition` with two names: `filename="..."` in plain ASCII for old clients
 *   (å → a, ŋ → n, anything else unsafe → `_`) and `filename*=UTF-8''...` (RFC 5987/6266) with
 *   the real name, which every current browser prefers: "Faktura Åsa Ŋuolla.pdf" arrives as such.
 * - `Cache-Control: no-store`: invoices, payslips and exports hold personal data; no shared or
 *   browser cache keeps a copy.
 * - `X-Content-Type-Options: nosniff` and a CSP that lets nothing in the file run or load, should a
 *   browser open it as a page.
 *
 * The body is a Buffer (sent with its length) or a stream. A stream's headers are written only
 * when its first bytes are there: one that fails at once (a query that throws) rejects before
 * anything is sent, so Express 5 shows the error page instead of a download named like the file.
 * One that fails later cuts the response short: the browser reports a failed download rather than
 * saving a truncated file as if it were whole.
 */
export interface Download {
  filename: string;
  contentType: string;
  body: Buffer | Readable;
  /** `attachment` (the default) saves the file; `inline` lets the browser show a PDF in a tab. */
  disposition?: 'attachment' | 'inline';
}

export async function sendDownload(res: Response, download: Download): Promise<void> {
  const { body } = download;
  if (Buffer.isBuffer(body)) {
    setDownloadHeaders(res, download);
    res.set('Content-Length', String(body.length));
    res.end(body);
    return;
  }
  const chunks = body[Symbol.asyncIterator]();
  const first = await chunks.next();
  setDownloadHeaders(res, download);
  async function* rest() {
    try {
      if (!first.done) yield first.value as Buffer;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
    } finally {
      await chunks.return?.(); // the client went away: stop reading the source
    }
  }
  try {
    await pipeline(Readable.from(rest()), res);
  } catch (error) {
    // A reader who cancels the download is no error of ours.
    if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed) return;
    throw error;
  }
}

function setDownloadHeaders(res: Response, download: Download): void {
  res.set({
    'Content-Type': download.contentType,
    'Content-Disposition': contentDisposition(download.filename, download.disposition ?? 'attachment'),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
}

export function contentDisposition(filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const name = cleanFilename(filename);
  return `${disposition}; filename="${asciiFilename(name)}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

// Letters that Unicode does not decompose into a base letter and a mark (so NFKD leaves them),
// spelled the way Swedish, Sámi and Nordic names are written without them.
const transliterations: Record<string, string> = {
  ŋ: 'n',
  Ŋ: 'N',
  đ: 'd',
  Đ: 'D',
  ŧ: 't',
  Ŧ: 'T',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  ß: 'ss',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'TH',
  ð: 'd',
  Ð: 'D',
};

const maximumLength = 150;

/** The name without folders, control characters or characters that Windows refuses in a file name. */
function cleanFilename(filename: string): string {
  const cleaned = filename
    .normalize('NFC')
    .replace(/^.*[\\/]/, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>:|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return [...(cleaned || 'download')].slice(0, maximumLength).join('');
}

/** A plain ASCII version of the name for `filename=`: letters, digits, `.`, `-` and `_`. */
export function asciiFilename(filename: string): string {
  const ascii = [...cleanFilename(filename).normalize('NFKD')]
    .map((character) => transliterations[character] ?? character)
    .join('')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_.]+|_+$/g, '');
  return ascii.replace(/_(?=\.[A-Za-z0-9]+$)/, '') || 'download';
}

/** Percent-encodes all but RFC 5987's attr-chars (encodeURIComponent leaves ' ( ) * as they are). */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}
