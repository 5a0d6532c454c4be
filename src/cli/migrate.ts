// npm run migrate: brings the database to the latest schema and reference data.
import { openRuntime, runMain } from '../runtime.js';

await runMain(async (config, log) => {
  const runtime = await openRuntime(config, log); // migrates as it opens
  log.info('Database is up to date');
  await runtime.close();
});
