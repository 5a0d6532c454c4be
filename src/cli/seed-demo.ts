// npm run seed:demo: loads the Swedish demo content (once; a database that
// already has organisations is left alone) and brings the search index up to date.
// Outside production it also makes one demo login per role and prints them
// (the only time their passwords are shown in a log; /dev/konton lists them).
import { seedDemo } from '../../seeds/demo.js';
import { logDemoLogins } from '../../seeds/demo-logins.js';
import { openRuntime, runMain } from '../runtime.js';

await runMain(async (config, log) => {
  const runtime = await openRuntime(config, log);
  try {
    const { assignments, logins } = await seedDemo(runtime.db, (message) => log.info(message), {
      logins: !config.isProduction,
      dataKeys: runtime.infra.dataKeys,
    });
    if (assignments === 0) log.info('The database already has organisations: demo data not loaded');
    else if (config.isProduction) log.info('Production: no demo logins made');
    logDemoLogins(log, logins);
    await runtime.syncSearchIndex();
  } finally {
    await runtime.close();
  }
});
