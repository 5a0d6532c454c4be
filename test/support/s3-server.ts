import fs from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { temporaryDataDir } from './processes.js';

// A real S3-compatible server for tests: s3rver (an S3 API over a directory),
// started inside the test process on a random port, with one empty bucket.
// No mocks: the app talks to it through @aws-sdk/client-s3 over HTTP the
// same way it talks to MinIO or AWS.

export interface TestS3Server {
  /** http://127.0.0.1:<port> — an IP, so s3rver takes path-style requests. */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The S3_* variables an app process (src/config.ts) needs to use this server. */
  env: Record<string, string>;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

// s3rver ships without type declarations; this is the part of its API used here.
interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: Array<{ name: string }>;
}
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: S3rverOptions) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

// s3rver knows one account: access key "S3RVER". It does not check version 4
// signatures (what the SDK sends), so the secret is only for the SDK to sign with.
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';

export async function startS3Server(bucket = 'uppdragsbanken-test'): Promise<TestS3Server> {
  const directory = temporaryDataDir('ub-s3-');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    await fs.rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      const closing = server.close();
      // Keep-alive sockets of SDK clients would hold close() open until they time out.
      server.httpServer?.closeAllConnections();
      await closing;
      await fs.rm(directory, { recursive: true, force: true });
    })();
    return stopped;
  };

  return {
    endpoint,
    bucket,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      S3_FORCE_PATH_STYLE: 'true',
    },
    stop,
  };
}
