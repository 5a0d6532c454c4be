import { expect } from 'chai';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

/** Calls loadConfig and returns the ConfigError it must throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

const DATA_KEY = Buffer.alloc(32, 5).toString('base64');

const PRODUCTION_BASE = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-session-secret-of-40-chars!',
  PUBLIC_URL: 'https://uppdragsbanken.example.se',
  DATA_ENCRYPTION_KEY: `k1:${DATA_KEY}`,
};

describe('loadConfig(env)', () => {
  describe('when the environment is empty', () => {
    it('then the documented defaults apply', () => {
      const config = loadConfig({});
      expect(config.env).to.equal('development');
      expect(config.isProduction).to.equal(false);
      expect(config.port).to.equal(3000);
      expect(config.dataDir).to.equal(path.resolve('./data'));
      expect(path.isAbsolute(config.dataDir)).to.equal(true);
      expect(config.logLevel).to.equal('info');
      expect(config.meili.indexPrefix).to.equal('ub_');
      expect(config.meili.host).to.equal(undefined);
      expect(config.meili.apiKey).to.equal(undefined);
      expect(config.databaseUrl).to.equal(undefined);
      expect(config.sessionSecret).to.equal(undefined);
      expect(config.smtpUrl).to.equal(undefined);
      expect(config.publicUrl).to.equal('http://localhost:3000');
      expect(config.runWorker).to.equal(true);
    });
  });

  it('when PORT is set without PUBLIC_URL, then publicUrl follows the port', () => {
    const config = loadConfig({ PORT: '8080' });
    expect(config.port).to.equal(8080);
    expect(config.publicUrl).to.equal('http://localhost:8080');
  });

  it('when PUBLIC_URL ends with slashes, then publicUrl has none (paths are appended to it)', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://uppdrag.example.se//' }).publicUrl).to.equal('https://uppdrag.example.se');
  });

  it('when DATA_DIR is relative, then dataDir is the absolute path', () => {
    const config = loadConfig({ DATA_DIR: 'var/ub' });
    expect(config.dataDir).to.equal(path.resolve('var/ub'));
    expect(path.isAbsolute(config.dataDir)).to.equal(true);
  });

  it('when every variable is a blank string, then each counts as unset and the defaults apply', () => {
    const blank = (value: string) =>
      Object.fromEntries(
        [
          'NODE_ENV',
          'PORT',
          'DATA_DIR',
          'DATABASE_URL',
          'MEILI_HOST',
          'MEILI_MASTER_KEY',
          'MEILI_API_KEY',
          'MEILI_INDEX_PREFIX',
          'MEILI_BIN',
          'SESSION_SECRET',
          'PUBLIC_URL',
          'SMTP_URL',
          'LOG_LEVEL',
          'RUN_WORKER',
          'TRUST_PROXY',
        ].map((name) => [name, value]),
      );
    for (const value of ['', '   ', '\t']) {
      const config = loadConfig(blank(value));
      expect(config, JSON.stringify(value)).to.deep.equal(loadConfig({}));
    }
  });

  it('when valid values are given, then they are used', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: 'postgresql://ub:secret@db.example.se:5432/ub',
      MEILI_HOST: 'https://search.example.se',
      MEILI_API_KEY: 'search-key',
      MEILI_INDEX_PREFIX: 'prod-ub_',
      SMTP_URL: 'smtps://mail:pw@mail.example.se:465',
      LOG_LEVEL: 'silent',
      RUN_WORKER: 'false',
    });
    expect(config).to.deep.include({
      env: 'test',
      port: 0,
      databaseUrl: 'postgresql://ub:secret@db.example.se:5432/ub',
      smtpUrl: 'smtps://mail:pw@mail.example.se:465',
      logLevel: 'silent',
      runWorker: false,
    });
    expect(config.meili).to.deep.include({ host: 'https://search.example.se', apiKey: 'search-key', indexPrefix: 'prod-ub_' });
  });

  for (const [value, expected] of [
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ] as const) {
    it(`when RUN_WORKER=${value}, then runWorker is ${expected}`, () => {
      expect(loadConfig({ RUN_WORKER: value }).runWorker).to.equal(expected);
    });
  }

  it('when TRUST_PROXY is unset, then no proxy is trusted, except in production (one, in front of HTTPS)', () => {
    expect(loadConfig({}).trustProxy).to.equal(0);
    const production = { ...PRODUCTION_BASE, SESSION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://ub.example.se' };
    expect(loadConfig(production).trustProxy).to.equal(1);
    expect(loadConfig({ ...production, TRUST_PROXY: '0' }).trustProxy).to.equal(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
  });

  describe('when a value is bad, then a ConfigError is one line naming the variable', () => {
    const cases: Array<[string, string]> = [
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['DATABASE_URL', 'mysql://x'],
      ['DATABASE_URL', 'not a url'],
      ['MEILI_HOST', 'ftp://x'],
      ['MEILI_HOST', 'localhost:7700'],
      ['PUBLIC_URL', 'uppdragsbanken.se'],
      ['LOG_LEVEL', 'loud'],
      ['NODE_ENV', 'staging'],
      ['NODE_ENV', 'staging\nNODE_ENV=production'],
      ['MEILI_INDEX_PREFIX', 'ub prefix'],
      ['MEILI_INDEX_PREFIX', 'ub"_'],
      ['MEILI_INDEX_PREFIX', "ub'_"],
      ['MEILI_INDEX_PREFIX', 'x'.repeat(41)],
      ['MEILI_MASTER_KEY', 'too-short'],
      ['SESSION_SECRET', 'short-secret'],
      ['SMTP_URL', 'http://x'],
      ['RUN_WORKER', 'maybe'],
      ['RUN_WORKER', 'yes'],
      ['TRUST_PROXY', 'true'],
      ['TRUST_PROXY', '-1'],
      ['TRUST_PROXY', '11'],
      ['TRUST_PROXY', '1.5'],
      ['MAP_TILE_URL', 'tiles.example.se/{z}/{x}/{y}.png'],
      ['MAP_TILE_URL', 'ftp://tiles.example.se/{z}/{x}/{y}.png'],
      ['MAP_TILE_URL', 'https://tiles.example.se/tile.png'],
      ['MAP_TILE_URL', 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png'],
      ['MAP_TILE_URL', 'https://user:pw@tiles.example.se/{z}/{x}/{y}.png'],
      ['MAP_TILE_ATTRIBUTION', 'x'.repeat(201)],
      ['DATA_ENCRYPTION_KEY', DATA_KEY],
      ['DATA_ENCRYPTION_KEY', 'k1:too-short'],
      ['DATA_ENCRYPTION_KEY', `k1:${DATA_KEY},k1:${DATA_KEY}`],
    ];
    for (const [variable, value] of cases) {
      it(`${variable}=${JSON.stringify(value)}`, () => {
        const error = configError({ [variable]: value });
        expect(error.variable).to.equal(variable);
        expect(error.name).to.equal('ConfigError');
        expect(error.message).to.include(variable);
        expect(error.message).not.to.match(/[\r\n]/);
        expect(error.message.length).to.be.below(300);
      });
    }
  });

  describe('when a secret or a URL with a password is bad, then the message never echoes it', () => {
    const cases: Array<[string, string, string]> = [
      ['SESSION_SECRET', 'short-secret', 'short-secret'],
      ['DATA_ENCRYPTION_KEY', `k1:${DATA_KEY.slice(0, 40)}`, DATA_KEY.slice(0, 40)],
      ['MEILI_MASTER_KEY', 'hunter2-key', 'hunter2'],
      ['DATABASE_URL', 'mysql://u:hunter2@h/db', 'hunter2'],
      ['SMTP_URL', 'http://mailer:hunter2@mail.example.se', 'hunter2'],
      ['MEILI_HOST', 'ftp://admin:hunter2@search.example.se', 'hunter2'],
      ['PUBLIC_URL', 'ftp://admin:hunter2@uppdrag.example.se', 'hunter2'],
    ];
    for (const [variable, value, secret] of cases) {
      it(`${variable}=${JSON.stringify(value)}`, () => {
        const error = configError({ [variable]: value });
        expect(error.variable).to.equal(variable);
        expect(error.message).to.include(variable);
        expect(error.message).not.to.include(secret);
        expect(String(error.stack)).not.to.include(secret);
      });
    }
  });

  describe('when NODE_ENV=production', () => {
    it('then a complete configuration loads', () => {
      const config = loadConfig(PRODUCTION_BASE);
      expect(config.isProduction).to.equal(true);
      expect(config.env).to.equal('production');
      expect(config.publicUrl).to.equal('https://uppdragsbanken.example.se');
    });

    it('then SESSION_SECRET is required', () => {
      const error = configError({ ...PRODUCTION_BASE, SESSION_SECRET: undefined });
      expect(error.variable).to.equal('SESSION_SECRET');
      expect(error.message).to.include('SESSION_SECRET').and.not.match(/\n/);
      expect(configError({ ...PRODUCTION_BASE, SESSION_SECRET: '  ' }).variable).to.equal('SESSION_SECRET');
    });

    it('then DATA_ENCRYPTION_KEY is required', () => {
      const error = configError({ ...PRODUCTION_BASE, DATA_ENCRYPTION_KEY: undefined });
      expect(error.variable).to.equal('DATA_ENCRYPTION_KEY');
      expect(error.message).to.include('DATA_ENCRYPTION_KEY').and.not.match(/\n/);
    });

    it('then DATA_ENCRYPTION_KEY gives the data keys, the first one current', () => {
      const keys = loadConfig({
        ...PRODUCTION_BASE,
        DATA_ENCRYPTION_KEY: `k2:${DATA_KEY}, k1:${Buffer.alloc(32, 6).toString('base64')}`,
      }).dataKeys!;
      expect(keys.current.id).to.equal('k2');
      expect([...keys.byId.keys()]).to.deep.equal(['k2', 'k1']);
    });

    it('then PUBLIC_URL is required', () => {
      const error = configError({ ...PRODUCTION_BASE, PUBLIC_URL: undefined });
      expect(error.variable).to.equal('PUBLIC_URL');
      expect(error.message).to.include('PUBLIC_URL').and.not.match(/\n/);
    });

    it('then MEILI_HOST needs MEILI_MASTER_KEY or MEILI_API_KEY', () => {
      const error = configError({ ...PRODUCTION_BASE, MEILI_HOST: 'https://search.example.se' });
      expect(error.message).to.include('MEILI_MASTER_KEY').and.include('MEILI_API_KEY').and.not.match(/\n/);
      expect(
        loadConfig({ ...PRODUCTION_BASE, MEILI_HOST: 'https://search.example.se', MEILI_API_KEY: 'a-search-api-key' }).meili
          .apiKey,
      ).to.equal('a-search-api-key');
      expect(
        loadConfig({ ...PRODUCTION_BASE, MEILI_HOST: 'https://search.example.se', MEILI_MASTER_KEY: 'a-master-key-of-24-chars' })
          .meili.apiKey,
      ).to.equal('a-master-key-of-24-chars');
    });

    it('then embedded Meilisearch (no MEILI_HOST) needs no key', () => {
      expect(loadConfig(PRODUCTION_BASE).meili.apiKey).to.equal(undefined);
    });
  });

  describe('the map (MAP_TILE_URL, MAP_TILE_ATTRIBUTION)', () => {
    it("when unset, then OpenStreetMap's tiles, their origin for the CSP and their attribution", () => {
      expect(loadConfig({}).map).to.deep.equal({
        tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
        tileOrigin: 'https://tile.openstreetmap.org',
        attribution: '© OpenStreetMap contributors',
      });
      expect(Object.isFrozen(loadConfig({}).map)).to.equal(true);
    });

    for (const value of ['', '  ']) {
      it(`when MAP_TILE_URL=${JSON.stringify(value)} (blank), then there is no map`, () => {
        expect(loadConfig({ MAP_TILE_URL: value }).map).to.equal(undefined);
      });
    }

    it('when another tile server is given, then its origin alone (port kept, path dropped) is the one for the CSP', () => {
      const config = loadConfig({
        MAP_TILE_URL: ' https://Kartor.example.se:8443/tiles/{z}/{x}/{y}.png?key=abc ',
        MAP_TILE_ATTRIBUTION: '© Kartor AB',
      });
      expect(config.map).to.deep.equal({
        tileUrl: 'https://Kartor.example.se:8443/tiles/{z}/{x}/{y}.png?key=abc',
        tileOrigin: 'https://kartor.example.se:8443',
        attribution: '© Kartor AB',
      });
    });
  });

  it('when both MEILI_MASTER_KEY and MEILI_API_KEY are set, then the master key wins', () => {
    const config = loadConfig({ MEILI_MASTER_KEY: 'master-key-0123456789', MEILI_API_KEY: 'api-key' });
    expect(config.meili.apiKey).to.equal('master-key-0123456789');
  });

  it('then the returned config is frozen, nested objects included', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.meili)).to.equal(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).to.throw(TypeError);
    expect(() => {
      (config.meili as { indexPrefix: string }).indexPrefix = 'x';
    }).to.throw(TypeError);
    expect(config.port).to.equal(3000);
  });

  describe('object storage (S3_*)', () => {
    const S3 = { S3_BUCKET: 'uppdragsbanken' };

    it('when S3_BUCKET is unset, then uploads stay on disk under DATA_DIR/uploads', () => {
      expect(loadConfig({ DATA_DIR: 'var/ub' }).storage).to.deep.equal({ kind: 'disk', root: path.resolve('var/ub/uploads') });
      expect(loadConfig({ S3_BUCKET: ' ', S3_ENDPOINT: '', S3_PREFIX: '' }).storage.kind).to.equal('disk');
    });

    it('when a self-hosted endpoint is given, then every setting is used and path style is the default', () => {
      const config = loadConfig({
        ...S3,
        S3_ENDPOINT: 'http://minio:9000',
        S3_REGION: 'eu-north-1',
        S3_ACCESS_KEY_ID: 'ub-app',
        S3_SECRET_ACCESS_KEY: 'a-secret-key',
        S3_PREFIX: 'uppdragsbanken/prod/',
      });
      expect(config.storage).to.deep.equal({
        kind: 's3',
        bucket: 'uppdragsbanken',
        endpoint: 'http://minio:9000',
        region: 'eu-north-1',
        credentials: { accessKeyId: 'ub-app', secretAccessKey: 'a-secret-key' },
        forcePathStyle: true,
        prefix: 'uppdragsbanken/prod/',
      });
      expect(Object.isFrozen(config.storage)).to.equal(true);
    });

    it('when only S3_BUCKET is set, then it is AWS: us-east-1, virtual-host style, default credentials, no prefix', () => {
      expect(loadConfig(S3).storage).to.deep.equal({
        kind: 's3',
        bucket: 'uppdragsbanken',
        endpoint: undefined,
        region: 'us-east-1',
        credentials: undefined,
        forcePathStyle: false,
        prefix: '',
      });
    });

    it('when S3_FORCE_PATH_STYLE is set, then it overrides the default either way', () => {
      expect(loadConfig({ ...S3, S3_FORCE_PATH_STYLE: 'true' }).storage).to.include({ forcePathStyle: true });
      expect(loadConfig({ ...S3, S3_ENDPOINT: 'https://s3.example.se', S3_FORCE_PATH_STYLE: 'false' }).storage).to.include({
        forcePathStyle: false,
      });
    });

    describe('when a value is bad, then a ConfigError is one line naming the variable', () => {
      const cases: Array<[string, string]> = [
        ['S3_BUCKET', 'Uppdragsbanken'],
        ['S3_BUCKET', 'ub'],
        ['S3_BUCKET', 'upp_dragsbanken'],
        ['S3_BUCKET', 'uppdragsbanken/'],
        ['S3_ENDPOINT', 'minio:9000'],
        ['S3_ENDPOINT', 'ftp://minio:9000'],
        ['S3_REGION', 'EU North'],
        ['S3_FORCE_PATH_STYLE', 'yes'],
        ['S3_PREFIX', 'uppdragsbanken'],
        ['S3_PREFIX', '/uppdragsbanken/'],
        ['S3_PREFIX', 'a//b/'],
        ['S3_PREFIX', '../'],
        ['S3_PREFIX', 'företag/'],
        ['S3_PREFIX', 'a b/'],
        ['S3_PREFIX', `${'x'.repeat(200)}/`],
      ];
      for (const [variable, value] of cases) {
        it(`${variable}=${JSON.stringify(value)}`, () => {
          const error = configError({ ...S3, [variable]: value });
          expect(error.variable).to.equal(variable);
          expect(error.message).to.include(variable);
          expect(error.message).not.to.match(/[\r\n]/);
          expect(error.message.length).to.be.below(300);
        });
      }
    });

    for (const variable of ['S3_ENDPOINT', 'S3_PREFIX', 'S3_ACCESS_KEY_ID', 'S3_REGION'] as const) {
      it(`when ${variable} is set without S3_BUCKET, then S3_BUCKET is asked for (uploads must not quietly go to disk)`, () => {
        const value = { S3_ENDPOINT: 'http://minio:9000', S3_PREFIX: 'ub/', S3_ACCESS_KEY_ID: 'ub-app', S3_REGION: 'eu-north-1' }[
          variable
        ];
        const error = configError({ [variable]: value });
        expect(error.variable).to.equal('S3_BUCKET');
        expect(error.message).to.include(variable);
      });
    }

    it('when only one of the access key id and secret is set, then the other is asked for and neither is echoed', () => {
      const noSecret = configError({ ...S3, S3_ACCESS_KEY_ID: 'AKIAHUNTER2' });
      expect(noSecret.variable).to.equal('S3_SECRET_ACCESS_KEY');
      expect(noSecret.message).not.to.include('HUNTER2');

      const noId = configError({ ...S3, S3_SECRET_ACCESS_KEY: 'hunter2-secret' });
      expect(noId.variable).to.equal('S3_ACCESS_KEY_ID');
      expect(noId.message).not.to.include('hunter2');
      expect(String(noId.stack)).not.to.include('hunter2');
    });
  });
});
