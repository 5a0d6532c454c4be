import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { acquireEmbeddedMeilisearch, findMeilisearchBinary } from '../../src/platform/embedded-meilisearch.js';
import { acquireEmbeddedPostgres } from '../../src/platform/embedded-postgres.js';
import { createLogger } from '../../src/platform/logger.js';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { temporaryDataDir } from '../support/processes.js';

// The embedded servers under awkward but real conditions found in the field.

const log = createLogger({ logLevel: 'silent' });

describe('Embedded servers', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the Meilisearch master key begins with "-", then Meilisearch starts and takes that key (1 key in 64 did)', async () => {
    const dataDir = temporaryDataDir('ub-key-');
    dirs.push(dataDir);
    const binary = findMeilisearchBinary({ dataDir, bin: process.env.MEILI_BIN });
    expect(binary, 'a Meilisearch binary').to.be.a('string');
    const masterKey = '-2aTyV0fQmZ_3kYz8u9WcDd4eFgHhJj1';
    const meili = await acquireEmbeddedMeilisearch({ binary: binary!, dataDir, masterKey }, log);
    try {
      const { results } = await createSearchClient({ host: meili.host, apiKey: masterKey }).getIndexes();
      expect(results).to.deep.equal([]);
      const refused = await fetch(`${meili.host}/indexes`, { headers: { Authorization: 'Bearer wrong-key-of-some-length' } });
      expect(refused.status).to.equal(403); // the key is really in force, not ignored
    } finally {
      await meili.stop();
    }
  });

  it('when DATA_DIR is private (0700), then PostgreSQL starts or, under root, the start stops with one line naming DATA_DIR and what to do', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ub-private-')); // mode 0700
    dirs.push(dataDir);
    const start = acquireEmbeddedPostgres({ dataDir, password: 'a-test-password' }, log);
    if (process.getuid?.() === 0) {
      // PostgreSQL runs as the system user "postgres", which cannot enter root's private folder.
      const error = await start.then(
        () => undefined,
        (caught: Error) => caught,
      );
      expect(error?.message).to.match(
        new RegExp(`^DATA_DIR ${dataDir}: the folder ${dataDir} \\(mode 0700\\) cannot be entered`),
      );
      expect(error?.message).to.contain(`chmod o+x ${dataDir}`);
      expect(error?.message.split('\n')).to.have.length(1);
      expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).to.equal(false); // nothing half-made
    } else {
      // As an ordinary user PostgreSQL runs as that user and the private folder is simply its own.
      const postgres = await start;
      await postgres.stop();
    }
  });

  it('when the app connects, then it goes through the Unix socket in the cluster folder; TCP on 127.0.0.1 still answers', async () => {
    const dataDir = temporaryDataDir('ub-socket-');
    dirs.push(dataDir);
    const postgres = await acquireEmbeddedPostgres({ dataDir, password: 'a-test-password' }, log);
    try {
      const url = new URL(postgres.urlFor('postgres'));
      const socketDir = path.join(dataDir, 'postgres');
      expect(url.searchParams.get('host')).to.equal(socketDir);
      expect(fs.existsSync(path.join(socketDir, `.s.PGSQL.${postgres.port}`))).to.equal(true);
      const viaSocket = new pg.Client({ connectionString: url.toString() });
      await viaSocket.connect();
      // inet_client_addr() is NULL on a Unix-domain connection.
      const { rows } = await viaSocket.query<{ address: string | null }>('SELECT inet_client_addr() AS address');
      await viaSocket.end();
      expect(rows[0]!.address).to.equal(null);
      url.searchParams.delete('host');
      const viaTcp = new pg.Client({ connectionString: url.toString() });
      await viaTcp.connect();
      const tcp = await viaTcp.query<{ address: string | null }>('SELECT inet_client_addr() AS address');
      await viaTcp.end();
      expect(tcp.rows[0]!.address).to.equal('127.0.0.1');
    } finally {
      await postgres.stop();
    }
  });

  it('when DATA_DIR is too long a path for a socket, then PostgreSQL starts on TCP alone', async () => {
    const dataDir = path.join(temporaryDataDir('ub-long-'), 'a'.repeat(90));
    dirs.push(path.dirname(dataDir));
    fs.mkdirSync(dataDir, { mode: 0o755 });
    const postgres = await acquireEmbeddedPostgres({ dataDir, password: 'a-test-password' }, log);
    try {
      const url = new URL(postgres.urlFor('postgres'));
      expect(url.searchParams.has('host')).to.equal(false);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.end();
    } finally {
      await postgres.stop();
    }
  });
});
