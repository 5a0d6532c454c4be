import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

// Uploaded files behind a small interface: files on disk here, objects in an
// S3-compatible bucket in s3-storage.ts (createStorage there picks one by the
// settings). Keys are made by the server (newStorageKey):
// a folder, a random name and the extension of the type the server decided.
// A client's file name never reaches a path.

export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

export interface Storage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Undefined when there is no such file. */
  get(key: string): Promise<StoredFile | undefined>;
  /** Deleting a file that is not there is not an error. */
  delete(key: string): Promise<void>;
}

/** The only types stored, by the extension the server gives their keys. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  webp: 'image/webp',
  pdf: 'application/pdf',
};

export type StorageFolder = 'logos' | 'cvs' | 'attachments' | 'receipts';

/** "logos/<32 random base64url characters>.webp" */
export function newStorageKey(folder: StorageFolder, extension: 'webp' | 'pdf'): string {
  return `${folder}/${randomBytes(24).toString('base64url')}.${extension}`;
}

// Folder segments of lower-case letters, then one name of base64url characters
// and a known extension: no "..", no absolute paths, no backslashes, no dots
// anywhere but before the extension.
const KEY = /^(?:[a-z0-9-]{1,40}\/){1,3}[A-Za-z0-9_-]{1,100}\.([a-z0-9]{1,8})$/;

/** The content type a key stands for; throws on a key the server could not have made. */
export function contentTypeOfKey(key: string): string {
  const match = typeof key === 'string' ? KEY.exec(key) : null;
  const contentType = match ? CONTENT_TYPES[match[1]!] : undefined;
  if (!contentType) throw new Error(`Refused storage key ${JSON.stringify(String(key).slice(0, 200))}`);
  return contentType;
}

/** Files under `root` (DATA_DIR/uploads), created on first write. */
export function createFileStorage(root: string): Storage & { root: string } {
  const base = path.resolve(root);
  const pathOf = (key: string): string => {
    contentTypeOfKey(key);
    const full = path.resolve(base, key);
    // Belt and braces: the pattern already rules out anything that leaves the root.
    if (!full.startsWith(base + path.sep)) throw new Error('Refused storage key outside the upload folder');
    return full;
  };

  return {
    root: base,

    async put(key, bytes, contentType) {
      const full = pathOf(key);
      if (contentTypeOfKey(key) !== contentType) throw new Error(`Content type ${contentType} does not match key ${key}`);
      await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o750 });
      // Written under a temporary name and renamed: a reader never sees half a file.
      const temporary = `${full}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await fs.writeFile(temporary, bytes, { mode: 0o640, flag: 'wx' });
        await fs.rename(temporary, full);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
    },

    async get(key) {
      const full = pathOf(key);
      try {
        return { bytes: await fs.readFile(full), contentType: contentTypeOfKey(key) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async delete(key) {
      await fs.rm(pathOf(key), { force: true });
    },
  };
}
