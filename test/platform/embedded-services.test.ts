import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
});
