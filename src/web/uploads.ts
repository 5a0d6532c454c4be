import type { Request, Response } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import multer, { MulterError } from 'multer';
import { AppError } from '../platform/errors.js';

// One way to receive a file: multer with every limit set, in memory (files are
// small and re-encoded or checked before anything is stored), a single named
// field, called by the route that takes the file and by no other. The type is
// decided by the file's first bytes (file-type), never by its name or the
// client's Content-Type. Every problem becomes a 400 or 413 with a message
// for the field, so a form can show it beside the file input.
//
// CSRF: the app checks the token before this parser runs, so multipart forms
// carry it in their action URL (?_csrf=…; see web/csrf.ts).

export interface UploadRule {
  /** The form field that holds the file. */
  field: string;
  maxBytes: number;
  /**
   * MIME types as file-type reports them from the bytes. 'text/plain' (a bank file), which has no magic bytes,
   * stands for bytes that file-type names no type for and that hold no NUL: what the text is, its parser decides.
   */
  types: readonly string[];
  /** i18n keys for the messages that name the limits of this use. */
  messages: { tooLarge: string; type: string };
}

export interface ReceivedFile {
  bytes: Buffer;
  /** Decided from the bytes. */
  mime: string;
  ext: string;
}

const U = 'uploads.errors';

/** Room for the multipart framing and a few small fields around the file. */
const FRAMING_BYTES = 64 * 1024;

/** Returns a function for the route: receives and checks the file, or throws an AppError for the field. */
export function uploadReceiver(rule: UploadRule): (req: Request, res: Response) => Promise<ReceivedFile> {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: rule.maxBytes,
      files: 1,
      fields: 5,
      fieldNameSize: 50,
      fieldSize: 1024,
      parts: 6,
      headerPairs: 20,
    },
    // Keep the name as sent, only to refuse one that carries a path (no browser
    // sends that). The name is never used: stored files get server-made keys.
    preservePath: true,
  }).single(rule.field);

  const fail = (code: 'bad_request' | 'too_large', key: string) => new AppError(code, key, { [rule.field]: key });

  return async (req, res) => {
    // A body announced far larger than the limit is refused before a byte of it is read.
    const announced = Number(req.get('content-length') ?? 0);
    if (announced > rule.maxBytes + FRAMING_BYTES) {
      res.set('Connection', 'close');
      throw fail('too_large', rule.messages.tooLarge);
    }
    await new Promise<void>((resolve, reject) => {
      parse(req, res, (error: unknown) => {
        if (error === undefined || error === null) resolve();
        else if (error instanceof MulterError) {
          req.log.info({ event: 'upload_refused', reason: error.code }, 'Upload refused');
          if (error.code === 'LIMIT_FILE_SIZE') reject(fail('too_large', rule.messages.tooLarge));
          else if (error.code === 'LIMIT_FILE_COUNT' || error.code === 'LIMIT_UNEXPECTED_FILE')
            reject(fail('bad_request', `${U}.oneFile`));
          else reject(fail('bad_request', `${U}.malformed`));
        } else {
          // busboy's errors: a malformed or cut-off multipart body, or the client went away.
          req.log.info({ event: 'upload_refused', reason: 'malformed' }, 'Upload refused');
          reject(fail('bad_request', `${U}.malformed`));
        }
      });
    });
    const file = req.file;
    req.file = undefined;
    if (!file || file.fieldname !== rule.field || file.buffer.length === 0) throw fail('bad_request', `${U}.required`);
    if (/[/\\\0]/.test(file.originalname) || /^\.\.?$/.test(file.originalname)) {
      req.log.info({ event: 'upload_refused', reason: 'file_name' }, 'Upload refused');
      throw fail('bad_request', `${U}.fileName`);
    }
    const type = await fileTypeFromBuffer(file.buffer);
    if (!type && rule.types.includes('text/plain') && !file.buffer.includes(0))
      return { bytes: file.buffer, mime: 'text/plain', ext: 'txt' };
    if (!type || !rule.types.includes(type.mime)) {
      req.log.info({ event: 'upload_refused', reason: 'type', detected: type?.mime ?? 'unknown' }, 'Upload refused');
      throw fail('bad_request', rule.messages.type);
    }
    return { bytes: file.buffer, mime: type.mime, ext: type.ext };
  };
}

/** An upload problem that a form shows beside its file field. */
export const isUploadError = (error: unknown, field: string): error is AppError =>
  error instanceof AppError && (error.status === 400 || error.status === 413) && field in error.fields;
