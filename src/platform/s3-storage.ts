import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3StorageSettings, StorageSettings } from '../config.js';
import { contentTypeOfKey, createFileStorage, type Storage } from './storage.js';

// Uploaded files as objects in an S3-compatible bucket (AWS S3, MinIO, …), so
// several app processes on several machines see the same files.
//
// Files are streamed THROUGH the app (routes call get() and web/files.ts sends
// the bytes with our own headers), never handed out as signed bucket URLs:
// - who may see a CV or a receipt is decided per request in the service layer;
//   a signed URL keeps working for anyone it leaks to until it expires,
// - the bucket's origin stays out of the Content-Security-Policy and the bucket
//   needs no public endpoint, CORS or download headers of its own.
// The files are small (logos, PDFs under the upload limits), so the cost is a
// little memory and bandwidth in the app.

export interface S3Storage extends Storage {
  readonly bucket: string;
  readonly prefix: string;
  /** Size of a stored object, undefined when there is none (storage:copy skips what is already there). */
  sizeOf(key: string): Promise<number | undefined>;
  /** Closes the client's kept-alive connections. */
  close(): void;
}

export function createS3Client(settings: S3StorageSettings): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // A copy: the SDK marks the object it is given, and the config's is frozen.
    credentials: settings.credentials && { ...settings.credentials },
    // The SDK's default integrity check (CRC32 headers and trailers) is not
    // understood by every S3-compatible server; Content-MD5 (set on put) is.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // The SDK waits forever by default: a hung storage server must fail the
    // request (after the SDK's retries), not hold it open.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
}

export function createS3Storage(settings: S3StorageSettings, client: S3Client = createS3Client(settings)): S3Storage {
  const { bucket, prefix } = settings;
  // Every key goes through the same check as on disk, before any request: a key
  // the server could not have made never reaches the bucket.
  const objectKey = (key: string): string => {
    contentTypeOfKey(key);
    return prefix + key;
  };

  return {
    bucket,
    prefix,

    async put(key, bytes, contentType) {
      const Key = objectKey(key);
      if (contentTypeOfKey(key) !== contentType) throw new Error(`Content type ${contentType} does not match key ${key}`);
      // A PUT is atomic: a reader sees the old object or the whole new one, never half.
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body: bytes,
          ContentType: contentType,
          ContentLength: bytes.length,
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
        }),
      );
    },

    async get(key) {
      const Key = objectKey(key);
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        const bytes = Buffer.from(await response.Body!.transformToByteArray());
        // The key decides the type, as on disk: a type changed in the bucket by
        // other means cannot make the app serve, say, HTML.
        return { bytes, contentType: contentTypeOfKey(key) };
      } catch (error) {
        // Only a missing object is "no such file"; a missing bucket (NoSuchBucket,
        // also 404), bad credentials or a server that is down must surface.
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },

    async delete(key) {
      // S3 answers 204 for a key that is not there, which is what the interface promises.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },

    async sizeOf(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        return head.ContentLength ?? 0;
      } catch (error) {
        // A HEAD response has no body, so the SDK names a 404 just "NotFound".
        if (
          error instanceof S3ServiceException &&
          error.$metadata.httpStatusCode === 404 &&
          (error.name === 'NotFound' || error.name === 'NoSuchKey')
        ) {
          return undefined;
        }
        throw error;
      }
    },

    close() {
      client.destroy();
    },
  };
}

/** The storage the settings ask for (here rather than in storage.ts, which this file imports). */
export function createStorage(config: { storage: StorageSettings }): Storage {
  const settings = config.storage;
  return settings.kind === 's3' ? createS3Storage(settings) : createFileStorage(settings.root);
}
