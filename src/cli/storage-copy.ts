// npm run storage:copy [-- --from DIR] [--dry-run] [--concurrency N]
// Copies the uploaded files on local disk (DATA_DIR/uploads, or --from DIR)
// into the S3 bucket the S3_* settings name, under the same keys, when a site
// moves from one machine to several. The source is only read, never changed.
//
// Safe to run again and to stop at any moment (Ctrl-C, a crash): an object
// that is already in the bucket with the file's size is skipped. A PUT is
// atomic in S3 — an object is there whole or not at all — and a key names one
// upload forever (newStorageKey makes a random name per file), so the same
// key with the same size is the same file; a rerun continues where the last
// one stopped.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '../platform/logger.js';
import { createS3Storage, type S3Storage } from '../platform/s3-storage.js';
import { contentTypeOfKey } from '../platform/storage.js';
import { runMain } from '../runtime.js';

const USAGE = 'Usage: npm run storage:copy -- [--from DIR] [--dry-run] [--concurrency N]';
/** Without a terminal, a progress log line every this many files (and at the end). */
const LOG_EVERY_FILES = 50;
/** On a terminal, the progress line is redrawn at most this often. */
const REDRAW_MS = 200;

interface Options {
  from?: string;
  dryRun: boolean;
  concurrency: number;
}

function parseOptions(): Options | string {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        concurrency: { type: 'string', default: '8' },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    return `--concurrency must be a whole number between 1 and 64 (got ${JSON.stringify(values.concurrency)})`;
  }
  return { from: values.from, dryRun: values['dry-run'], concurrency };
}

interface SourceFile {
  key: string;
  full: string;
  size: number;
}

/** The files under `root` that can be copied; the rest are counted as skipped. */
async function listSource(root: string, log: Logger): Promise<{ files: SourceFile[]; skipped: number }> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  const files: SourceFile[] = [];
  let temporary = 0;
  let refused = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const key = path.relative(root, full).split(path.sep).join('/');
    // A write under way or cut short (platform/storage.ts writes NAME.<random>.tmp, then renames).
    if (entry.name.endsWith('.tmp')) {
      temporary += 1;
      continue;
    }
    try {
      contentTypeOfKey(key);
    } catch {
      // Not a name the app made, so the app could never ask for it: leave it behind, but say so.
      refused += 1;
      log.warn({ file: full }, 'Skipped a file whose name is not a storage key');
      continue;
    }
    files.push({ key, full, size: (await fs.stat(full)).size });
  }
  if (temporary > 0) log.warn({ files: temporary }, 'Skipped *.tmp files (unfinished writes)');
  files.sort((a, b) => a.key.localeCompare(b.key));
  return { files, skipped: temporary + refused };
}

await runMain(async (config, log) => {
  const options = parseOptions();
  if (typeof options === 'string') {
    console.error(`storage:copy: ${options}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (config.storage.kind !== 's3') {
    console.error(
      'storage:copy: S3_BUCKET is not set, so there is no bucket to copy to. ' +
        'Set S3_BUCKET (and S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY for a self-hosted server) as for the app.',
    );
    process.exitCode = 1;
    return;
  }
  const root = path.resolve(options.from ?? path.join(config.dataDir, 'uploads'));
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    console.error(`storage:copy: ${root} is not a folder (give the upload folder with --from DIR)`);
    process.exitCode = 1;
    return;
  }

  const storage = createS3Storage(config.storage);
  try {
    await copyAll(storage, root, options, log);
  } finally {
    storage.close();
  }
});

async function copyAll(storage: S3Storage, root: string, options: Options, log: Logger): Promise<void> {
  const source = await listSource(root, log);
  const destination = `s3://${storage.bucket}/${storage.prefix}`;
  log.info({ from: root, to: destination, files: source.files.length, dryRun: options.dryRun }, 'Copying uploads to S3');

  const total = source.files.length;
  let copied = 0;
  let present = 0;
  let failed = 0;
  let bytes = 0;
  let next = 0;
  let interrupted = false;
  const started = Date.now();

  // Ctrl-C: start no new file, let the ones under way finish, report. A second
  // Ctrl-C (or a kill) is safe too: an unfinished PUT leaves no object behind.
  const onSigint = () => {
    interrupted = true;
    process.off('SIGINT', onSigint);
  };
  process.on('SIGINT', onSigint);

  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  const progressLine = () => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = (bytes / 1024 / 1024 / seconds).toFixed(1);
    const done = options.dryRun ? `would copy ${copied}` : `copied ${copied}`;
    return `${done}/${total} (skipped ${source.skipped + present}${failed ? `, failed ${failed}` : ''}, ${rate} MB/s)`;
  };
  const progress = (final = false) => {
    if (tty) {
      if (!final && Date.now() - lastDraw < REDRAW_MS) return;
      lastDraw = Date.now();
      process.stderr.write(`\r${progressLine()}\x1b[K${final ? '\n' : ''}`);
    } else if (final || (copied + present + failed) % LOG_EVERY_FILES === 0) {
      log.info({ copied, total, skipped: source.skipped + present, failed, bytes }, progressLine());
    }
  };

  const copyOne = async (file: SourceFile) => {
    try {
      const size = await storage.sizeOf(file.key);
      if (size === file.size) {
        present += 1;
      } else if (options.dryRun) {
        log.info({ key: file.key, bytes: file.size }, `would copy ${file.key}`);
        copied += 1;
      } else {
        const content = await fs.readFile(file.full);
        await storage.put(file.key, content, contentTypeOfKey(file.key));
        copied += 1;
        bytes += content.length;
      }
    } catch (error) {
      failed += 1;
      log.error({ key: file.key, err: error }, `Could not copy ${file.key}`);
    }
    progress();
  };

  // A fixed number of lanes, each taking the next file: at most `concurrency` requests at once.
  const lane = async () => {
    while (!interrupted && next < total) await copyOne(source.files[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, Math.max(total, 1)) }, lane));
  } finally {
    process.off('SIGINT', onSigint);
  }
  progress(true);

  const summary = {
    copied,
    alreadyThere: present,
    skipped: source.skipped,
    failed,
    bytes,
    seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
  if (interrupted) {
    log.warn({ ...summary, left: total - copied - present - failed }, 'Interrupted: run storage:copy again to continue');
    process.exitCode = 130;
  } else if (failed > 0) {
    log.error(summary, `${failed} file(s) could not be copied: run storage:copy again to retry them`);
    process.exitCode = 1;
  } else {
    log.info(summary, options.dryRun ? 'Dry run done: nothing was written' : 'All uploads are in the bucket');
  }
}
