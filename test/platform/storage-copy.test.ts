import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { loadConfig, type S3StorageSettings } from '../../src/config.js';
import { createS3Client } from '../../src/platform/s3-storage.js';
import { newStorageKey, type StorageFolder } from '../../src/platform/storage.js';
import { filesUnder } from '../support/files.js';
import { startProcess, temporaryDataDir, type LogLine, type RunningProcess } from '../support/processes.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

// npm run storage:copy as a user runs it (a child process) against a real S3
// API (s3rver): everything copied under the same keys, a second run copies
// nothing, a run cut short continues where it stopped, and refusals are clear.

const SCRIPT = 'src/cli/storage-copy.ts';
const FOLDERS: Array<[StorageFolder, 'webp' | 'pdf']> = [
  ['logos', 'webp'],
  ['cvs', 'pdf'],
  ['attachments', 'pdf'],
  ['receipts', 'pdf'],
];

/** Writes `count` files under `uploads` as the app would name them; returns key → bytes. */
async function writeUploads(uploads: string, count: number): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    const [folder, extension] = FOLDERS[index % FOLDERS.length]!;
    const key = newStorageKey(folder, extension);
    const bytes = randomBytes(500 + ((index * 7919) % 20_000));
    await fs.mkdir(path.join(uploads, folder), { recursive: true });
    await fs.writeFile(path.join(uploads, key), bytes);
    files.set(key, bytes);
  }
  return files;
}

const summaryOf = (run: RunningProcess): LogLine => {
  const line = run.lines.find((l) => typeof l.copied === 'number' && 'alreadyThere' in l);
  if (!line) throw new Error(`No summary line: ${JSON.stringify(run.lines.slice(-5))} ${run.stderr()}`);
  return line;
};

describe('npm run storage:copy', function () {
  this.timeout(120_000);
  let server: TestS3Server;
  let client: S3Client;
  let dataDir: string;
  let uploads: string;
  let files: Map<string, Buffer>;

  before(async () => {
    server = await startS3Server();
    client = createS3Client(loadConfig(server.env).storage as S3StorageSettings);
    dataDir = temporaryDataDir('ub-storage-copy-');
    uploads = path.join(dataDir, 'uploads');
    files = await writeUploads(uploads, 24);
    // What the copy must leave behind: an unfinished write and names the app never makes.
    await fs.writeFile(path.join(uploads, 'logos', 'abc.webp.1a2b3c.tmp'), 'half a file');
    await fs.writeFile(path.join(uploads, 'notes.txt'), 'not an upload');
    await fs.writeFile(path.join(uploads, 'cvs', 'my cv.pdf'), '%PDF');
  });
  after(async () => {
    client?.destroy();
    await server?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  const listKeys = async (prefix = '') => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix }));
    return (listed.Contents ?? []).map((object) => object.Key!).sort();
  };
  const run = (env: Record<string, string> = {}, args: string[] = []) =>
    startProcess(SCRIPT, { ...server.env, DATA_DIR: dataDir, ...env }, args);

  it('when run, then every upload is in the bucket under its key, with its bytes and type, and the source is untouched', async () => {
    const before = await filesUnder(uploads);
    const copy = run();
    expect(await copy.exited(60_000), copy.stderr()).to.equal(0);

    expect(summaryOf(copy)).to.deep.include({ copied: files.size, alreadyThere: 0, skipped: 3, failed: 0 });
    expect(await listKeys()).to.deep.equal([...files.keys()].sort());
    for (const [key, bytes] of files) {
      const object = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(bytes), key).to.equal(true);
      expect(object.ContentType, key).to.equal(key.endsWith('.webp') ? 'image/webp' : 'application/pdf');
    }
    // The skipped files are named in warnings, and nothing in the source changed.
    expect(copy.lines.some((l) => l.msg.includes('not a storage key') && String(l.file).endsWith('notes.txt'))).to.equal(true);
    expect(copy.lines.some((l) => l.msg.includes('*.tmp'))).to.equal(true);
    expect(await filesUnder(uploads)).to.deep.equal(before);
  });

  it('when run again, then nothing is copied: every object is already there', async () => {
    const again = run();
    expect(await again.exited(60_000), again.stderr()).to.equal(0);
    expect(summaryOf(again)).to.deep.include({ copied: 0, alreadyThere: files.size, failed: 0 });
  });

  it('when --dry-run is given, then only the new file is listed and nothing is written', async () => {
    const [key] = [...(await writeUploads(uploads, 1)).keys()] as [string];
    try {
      const dry = run({}, ['--dry-run']);
      expect(await dry.exited(60_000), dry.stderr()).to.equal(0);
      expect(summaryOf(dry)).to.deep.include({ copied: 1, alreadyThere: files.size });
      expect(dry.lines.filter((l) => l.msg.startsWith('would copy ') && l.key !== undefined).map((l) => l.key)).to.deep.equal([
        key,
      ]);
      expect(await listKeys()).not.to.include(key);
    } finally {
      await fs.rm(path.join(uploads, key));
    }
  });

  it('when a run is stopped by Ctrl-C and the next is killed, then a third run copies exactly the rest', async () => {
    const many = temporaryDataDir('ub-storage-copy-many-');
    try {
      const source = await writeUploads(path.join(many, 'uploads'), 300);
      // An empty place in the same bucket, and one file at a time so the runs can be cut short.
      const env = { DATA_DIR: many, S3_PREFIX: 'resume/' };
      const args = ['--concurrency', '1'];
      const copiedAtLeast = (count: number) => (line: LogLine) => typeof line.copied === 'number' && line.copied >= count;

      const first = run(env, args);
      await first.waitForLog(copiedAtLeast(50));
      expect(await first.stop('SIGINT'), first.stderr()).to.equal(130);
      expect(first.lines.some((l) => l.msg.startsWith('Interrupted'))).to.equal(true);
      const afterFirst = (await listKeys('resume/')).length;
      expect(afterFirst).to.be.within(50, source.size - 1);

      const second = run(env, args);
      await second.waitForLog(copiedAtLeast(50));
      await second.stop('SIGKILL');
      const afterSecond = (await listKeys('resume/')).length;
      expect(afterSecond).to.be.within(afterFirst + 50, source.size - 1);

      const third = run(env, args);
      expect(await third.exited(60_000), third.stderr()).to.equal(0);
      const summary = summaryOf(third);
      expect(summary).to.deep.include({ failed: 0 });
      expect(Number(summary.copied) + Number(summary.alreadyThere)).to.equal(source.size);
      expect(summary.alreadyThere).to.be.at.least(afterSecond - 1); // a PUT cut by the kill may have landed or not
      expect(summary.copied).to.be.at.least(source.size - afterSecond);

      expect(await listKeys('resume/')).to.deep.equal([...source.keys()].map((key) => `resume/${key}`).sort());
      const sample = [...source].filter((_, index) => index % 37 === 0);
      for (const [key, bytes] of sample) {
        const object = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: `resume/${key}` }));
        expect(Buffer.from(await object.Body!.transformToByteArray()).equals(bytes), key).to.equal(true);
      }
    } finally {
      await fs.rm(many, { recursive: true, force: true });
    }
  });

  it('when S3_BUCKET is unset, then it refuses with a clear message and copies nothing', async () => {
    const refused = startProcess(SCRIPT, { DATA_DIR: dataDir });
    expect(await refused.exited()).to.equal(1);
    expect(refused.stderr()).to.include('S3_BUCKET is not set');
  });

  it('when an S3 setting is given without S3_BUCKET, then the configuration error names S3_BUCKET', async () => {
    const refused = startProcess(SCRIPT, { DATA_DIR: dataDir, S3_ENDPOINT: server.endpoint });
    expect(await refused.exited()).to.equal(1);
    expect(refused.stderr()).to.match(/Configuration error: S3_BUCKET must be set when S3_ENDPOINT is set/);
  });

  it('when the bucket does not exist, then every file fails and the exit code says so', async () => {
    const failing = run({ S3_BUCKET: 'no-such-bucket' });
    expect(await failing.exited(60_000)).to.equal(1);
    expect(summaryOf(failing)).to.deep.include({ copied: 0, failed: files.size });
  });

  it('when --from is not a folder or --concurrency is bad, then it says so', async () => {
    const noFolder = run({}, ['--from', path.join(dataDir, 'missing')]);
    expect(await noFolder.exited()).to.equal(1);
    expect(noFolder.stderr()).to.include('is not a folder');

    const badConcurrency = run({}, ['--concurrency', '0']);
    expect(await badConcurrency.exited()).to.equal(2);
    expect(badConcurrency.stderr()).to.include('--concurrency must be a whole number between 1 and 64');
  });
});
