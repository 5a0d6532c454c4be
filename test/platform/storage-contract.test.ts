import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { loadConfig } from '../../src/config.js';
import { createS3Client, createS3Storage, createStorage } from '../../src/platform/s3-storage.js';
import { createFileStorage, newStorageKey, type Storage } from '../../src/platform/storage.js';
import { filesUnder } from '../support/files.js';
import { temporaryDataDir } from '../support/processes.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

// One contract, two backends: what the services rely on (platform/storage.ts)
// must hold the same on local disk and in an S3 bucket (s3rver, a real S3 API
// over HTTP). Each backend is built from settings through loadConfig and
// createStorage, the way src/server.ts builds it.

interface Backend {
  storage: Storage;
  /** Every stored name as the backend sees it (paths under the root, object keys in the bucket). */
  stored(): Promise<string[]>;
  /** The same backend made so that any I/O fails (unreachable root / server): proves a refusal came first. */
  unusable: Storage;
  stop(): Promise<void>;
}

async function diskBackend(): Promise<Backend> {
  const dataDir = temporaryDataDir('ub-storage-');
  const config = loadConfig({ DATA_DIR: dataDir });
  expect(config.storage).to.deep.equal({ kind: 'disk', root: path.join(dataDir, 'uploads') });
  // A root below a regular file: every mkdir, read or write under it fails with ENOTDIR.
  const blocker = path.join(dataDir, 'not-a-folder');
  await fs.writeFile(blocker, '');
  return {
    storage: createStorage(config),
    stored: () => filesUnder(path.join(dataDir, 'uploads')),
    unusable: createFileStorage(path.join(blocker, 'uploads')),
    stop: () => fs.rm(dataDir, { recursive: true, force: true }),
  };
}

const PREFIX = 'contract/run-1/';

async function s3Backend(): Promise<Backend & { server: TestS3Server }> {
  const server = await startS3Server();
  const config = loadConfig({ DATA_DIR: '/nonexistent-data-dir', ...server.env, S3_PREFIX: PREFIX });
  expect(config.storage).to.include({ kind: 's3', bucket: server.bucket, prefix: PREFIX, forcePathStyle: true });
  const admin = createS3Client(config.storage as Extract<typeof config.storage, { kind: 's3' }>);
  // Port 9 (discard) on the loopback address: nothing listens, a request fails at once.
  const unusable = createS3Storage({
    ...(config.storage as Extract<typeof config.storage, { kind: 's3' }>),
    endpoint: 'http://127.0.0.1:9',
  });
  return {
    server,
    storage: createStorage(config),
    stored: async () => {
      const listed = await admin.send(new ListObjectsV2Command({ Bucket: server.bucket }));
      return (listed.Contents ?? []).map((object) => object.Key!);
    },
    unusable,
    stop: async () => {
      admin.destroy();
      await server.stop();
    },
  };
}

/** Names a backend stores a key under. */
const storedName = (kind: string, key: string) => (kind === 's3' ? PREFIX + key : key);

for (const kind of ['disk', 's3'] as const) {
  describe(`Storage contract (${kind === 'disk' ? 'local disk' : 'S3 on s3rver'})`, function () {
    this.timeout(60_000);
    let backend: Backend;

    before(async () => {
      backend = kind === 'disk' ? await diskBackend() : await s3Backend();
    });
    after(async () => {
      await backend?.stop();
    });

    it('when a file is put, then get returns the same bytes and the type of its key', async () => {
      const key = newStorageKey('cvs', 'pdf');
      const bytes = Buffer.from('%PDF-1.7\nnågot på svenska\n%%EOF\n');
      await backend.storage.put(key, bytes, 'application/pdf');

      const file = await backend.storage.get(key);
      expect(file?.contentType).to.equal('application/pdf');
      expect(file?.bytes.equals(bytes)).to.equal(true);
      expect(await backend.stored()).to.include(storedName(kind, key));
    });

    it('when a key is put twice, then get returns the second file', async () => {
      const key = newStorageKey('logos', 'webp');
      await backend.storage.put(key, Buffer.from('first version'), 'image/webp');
      await backend.storage.put(key, Buffer.from('second'), 'image/webp');

      const file = await backend.storage.get(key);
      expect(file?.bytes.toString()).to.equal('second');
      expect(file?.contentType).to.equal('image/webp');
    });

    it('when no file has the key, then get returns undefined', async () => {
      expect(await backend.storage.get(newStorageKey('receipts', 'pdf'))).to.equal(undefined);
    });

    it('when a file is deleted, then get returns undefined and it is gone from the backend', async () => {
      const key = newStorageKey('attachments', 'pdf');
      await backend.storage.put(key, Buffer.from('to be deleted'), 'application/pdf');
      await backend.storage.delete(key);

      expect(await backend.storage.get(key)).to.equal(undefined);
      expect(await backend.stored()).not.to.include(storedName(kind, key));
    });

    it('when a key that was never stored is deleted, then that is not an error', async () => {
      await backend.storage.delete(newStorageKey('attachments', 'pdf'));
    });

    it('when 1 MB of random bytes is stored, then every byte comes back', async () => {
      const key = newStorageKey('attachments', 'pdf');
      const bytes = randomBytes(1024 * 1024);
      await backend.storage.put(key, bytes, 'application/pdf');

      const file = await backend.storage.get(key);
      expect(file?.bytes.length).to.equal(bytes.length);
      expect(file?.bytes.equals(bytes)).to.equal(true);
    });

    it('when 40 files are put at once, then each key holds its own bytes', async () => {
      const files = Array.from({ length: 40 }, (_, index) => ({
        key: newStorageKey('logos', 'webp'),
        bytes: Buffer.concat([Buffer.from(`file ${index} `), randomBytes(2_000 + index)]),
      }));
      await Promise.all(files.map((file) => backend.storage.put(file.key, file.bytes, 'image/webp')));

      const read = await Promise.all(files.map((file) => backend.storage.get(file.key)));
      read.forEach((file, index) => expect(file?.bytes.equals(files[index]!.bytes), `file ${index}`).to.equal(true));
    });

    describe('when a key is one the server could not have made', () => {
      const refused = [
        '../logos/abc.webp',
        'logos/../../etc/passwd.pdf',
        '/etc/logos/abc.pdf',
        'logos\\abc.webp',
        'logos/abc.exe',
        'logos/abc.html',
        'abc.pdf',
        '',
        'logos/abc.webp\n',
      ];

      for (const key of refused) {
        it(`then ${JSON.stringify(key)} is refused by put, get and delete before any I/O`, async () => {
          const before = await backend.stored();
          // `unusable` fails on any I/O with another error, so this message proves the check came first.
          for (const storage of [backend.unusable, backend.storage]) {
            await expectRejection(storage.put(key, Buffer.from('x'), 'application/pdf'), /Refused storage key/);
            await expectRejection(storage.get(key), /Refused storage key/);
            await expectRejection(storage.delete(key), /Refused storage key/);
          }
          expect(await backend.stored()).to.deep.equal(before);
        });
      }
    });

    it('when the content type does not match the key, then put refuses before any I/O', async () => {
      const key = newStorageKey('logos', 'webp');
      for (const storage of [backend.unusable, backend.storage]) {
        await expectRejection(storage.put(key, Buffer.from('<html>'), 'text/html'), /does not match key/);
        await expectRejection(storage.put(key, Buffer.from('%PDF'), 'application/pdf'), /does not match key/);
      }
      expect(await backend.storage.get(key)).to.equal(undefined);
    });

    it('when the backend cannot be reached, then get, put and delete fail instead of answering "no file"', async () => {
      const key = newStorageKey('cvs', 'pdf');
      await expectRejection(backend.unusable.get(key));
      await expectRejection(backend.unusable.put(key, Buffer.from('%PDF'), 'application/pdf'));
      if (kind === 's3') await expectRejection(backend.unusable.delete(key));
    });
  });
}

describe('Storage contract: S3 only', function () {
  this.timeout(60_000);
  let server: TestS3Server;

  before(async () => {
    server = await startS3Server();
  });
  after(async () => {
    await server?.stop();
  });

  const storageWith = (env: Record<string, string>) => createStorage(loadConfig({ ...server.env, ...env }));

  it('when S3_PREFIX is set, then objects live under it and another prefix does not see them', async () => {
    const tenantA = storageWith({ S3_PREFIX: 'a/uppdragsbanken/' });
    const tenantB = storageWith({ S3_PREFIX: 'b/' });
    const unprefixed = storageWith({});
    const key = newStorageKey('logos', 'webp');
    await tenantA.put(key, Buffer.from('A'), 'image/webp');

    expect((await tenantA.get(key))?.bytes.toString()).to.equal('A');
    expect(await tenantB.get(key)).to.equal(undefined);
    expect(await unprefixed.get(key)).to.equal(undefined);

    const admin = createS3Client(loadConfig(server.env).storage as Parameters<typeof createS3Client>[0]);
    const listed = await admin.send(new ListObjectsV2Command({ Bucket: server.bucket }));
    admin.destroy();
    expect((listed.Contents ?? []).map((object) => object.Key)).to.deep.equal([`a/uppdragsbanken/${key}`]);
  });

  it('when the bucket does not exist, then get, put and delete fail (NoSuchBucket is not "no file")', async () => {
    const storage = storageWith({ S3_BUCKET: 'no-such-bucket' });
    const key = newStorageKey('cvs', 'pdf');
    await expectRejection(storage.get(key), /bucket/i);
    await expectRejection(storage.put(key, Buffer.from('%PDF'), 'application/pdf'), /bucket/i);
    await expectRejection(storage.delete(key), /bucket/i);
  });

  it('when the server stops, then get fails instead of answering "no file"', async () => {
    const other = await startS3Server('stopping-bucket');
    try {
      const storage = createStorage(loadConfig(other.env));
      const key = newStorageKey('receipts', 'pdf');
      await storage.put(key, Buffer.from('%PDF receipt'), 'application/pdf');
      expect((await storage.get(key))?.bytes.toString()).to.equal('%PDF receipt');

      await other.stop();
      await expectRejection(storage.get(key));
    } finally {
      await other.stop(); // a second stop is a no-op; this one is for a failed assertion above
    }
  });
});

async function expectRejection(promise: Promise<unknown>, message?: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(Error);
    if (message) expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected a rejection${message ? ` matching ${message}` : ''}`);
}
