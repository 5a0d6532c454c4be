// npm run seed:demo: loads the Swedish demo content (once; a database that
// already has organisations is left alone) and brings the search index up to date.
import { seedDemo } from '../../seeds/demo.js';
import { openRuntime, runMain } from '../runtime.js';

await runMain(async (config, log) => {
  const runtime = await openRuntime(config, log);
  try {
    const { assignments } = await seedDemo(runtime.db, (message) => log.info(message));
    if (assignments === 0) log.info('The database already has organisations: demo data not loaded');
    await runtime.syncSearchIndex();
  } finally {
    await runtime.close();
  }
});
