// npm run rotate-keys: seals every personnummer stored under an older data key again under the current one (the
// first in DATA_ENCRYPTION_KEY), with its keyed hash. Run it after putting a new key first; once it reports
// nothing left, the old keys can be removed from DATA_ENCRYPTION_KEY.
import { rotatePersonalNumberKeys } from '../modules/billing/index.js';
import { openRuntime, runMain } from '../runtime.js';

await runMain(async (config, log) => {
  const runtime = await openRuntime(config, log);
  try {
    const keys = runtime.infra.dataKeys;
    if (!keys) throw new Error('DATA_ENCRYPTION_KEY is not set: there is no key to rotate to');
    const count = await rotatePersonalNumberKeys(runtime.db, keys);
    log.info({ count, currentKeyId: keys.current.id }, `Sealed ${count} personal numbers again under the key ${keys.current.id}`);
  } finally {
    await runtime.close();
  }
});
