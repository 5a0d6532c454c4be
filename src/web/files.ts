import type { Response } from 'express';
import type { StoredFile } from '../platform/storage.js';

/**
 * Sends an uploaded file (logo, CV, attachment) the one safe way: its own
 * content type, never sniffed, a file name we chose, and a CSP that lets
 * nothing in it run or load even if a browser opened it as a document.
 */
export function sendStoredFile(
  res: Response,
  file: StoredFile,
  options: { filename: string; download: boolean; cacheControl: string },
): void {
  res.set({
    'Content-Type': file.contentType,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': `${options.download ? 'attachment' : 'inline'}; filename="${options.filename}"`,
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': options.cacheControl,
  });
  res.send(file.bytes);
}
