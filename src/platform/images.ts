import sharp from 'sharp';

// Images from users are never stored as sent: they are decoded and encoded
// again as WebP. That drops every byte that is not the picture — EXIF (GPS
// position, camera serial), comments, and whatever a polyglot hid after or
// inside the image data. rotate() first applies the EXIF orientation, since
// the tag itself is gone afterwards.

export class UnreadableImageError extends Error {
  constructor(cause: unknown) {
    super('The image could not be decoded', { cause });
    this.name = 'UnreadableImageError';
  }
}

/** Decoding is refused above this many pixels (a small file can claim a huge canvas). */
const MAX_INPUT_PIXELS = 50_000_000;

/** Formats accepted from users, as sharp names them after decoding. */
const DECODABLE = new Set(['png', 'jpeg', 'webp']);

/** Re-encodes to WebP no larger than `maxSide` × `maxSide` (never enlarged), without metadata. */
export async function reencodeAsWebp(bytes: Buffer, maxSide: number): Promise<Buffer> {
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning', animated: false });
    const { format } = await image.metadata();
    if (!format || !DECODABLE.has(format)) throw new Error(`Unexpected image format ${String(format)}`);
    return await image
      .rotate()
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 85 })
      .toBuffer();
  } catch (error) {
    throw new UnreadableImageError(error);
  }
}
