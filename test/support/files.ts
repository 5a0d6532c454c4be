import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

// Real files for upload tests, made in the test: images with sharp, a PDF by
// hand, and the hostile ones the upload rules must refuse.

export const MB = 1024 * 1024;
export const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');

export async function png(width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#2a7' } })
    .png()
    .toBuffer();
}

/** A JPEG with camera, copyright and GPS EXIF; `orientation` 6 is stored rotated (turn 90° clockwise to view). */
export async function jpegWithExif(options: { orientation?: number } = {}): Promise<Buffer> {
  const image = sharp({ create: { width: 300, height: 100, channels: 3, background: '#c33' } }).jpeg();
  if (options.orientation) image.withMetadata({ orientation: options.orientation });
  return image
    .withExif({
      IFD0: { Make: 'Spionkamera', Copyright: 'Hemligt foto' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '64/1 34/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '18/1 40/1 0/1' },
    })
    .toBuffer();
}

/** A small valid one-page PDF, written by hand with a correct cross-reference table. */
export function minimalPdf(text = 'Mitt CV'): Buffer {
  const content = `BT /F1 18 Tf 20 150 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** form-data cuts a file name to its last "/" part unless it is given as `filepath`. */
export const fileOptions = (name: string, contentType: string) =>
  name.includes('/') ? { filepath: name, contentType } : { filename: name, contentType };

/** Every file under `dir`, relative to it, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
