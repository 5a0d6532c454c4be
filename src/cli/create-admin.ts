// npm run create-admin -- --email E --password P [--name N]
// Creates a platform admin (or makes an existing user one). There is no
// default admin account anywhere: this command is the only way to get one.
import { parseArgs } from 'node:util';
import { createAdmin } from '../modules/accounts/index.js';
import { AppError } from '../platform/errors.js';
import { openRuntime, runMain } from '../runtime.js';

await runMain(async (config, log) => {
  let values: { email?: string; password?: string; name?: string };
  try {
    ({ values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run create-admin -- --email E --password P [--name N]`);
    process.exitCode = 2;
    return;
  }
  if (!values.email || !values.password) {
    console.error('Usage: npm run create-admin -- --email E --password P [--name N]');
    process.exitCode = 2;
    return;
  }
  const runtime = await openRuntime(config, log);
  try {
    const { id, created } = await createAdmin(runtime.db, { email: values.email, password: values.password, name: values.name });
    log.info({ userId: id }, created ? 'Platform admin created' : 'Existing user is now a platform admin (password replaced)');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Field messages are i18n keys; the CLI speaks English.
    console.error(`create-admin: ${error.message} (${Object.keys(error.fields).join(', ')})`);
    process.exitCode = 1;
  } finally {
    await runtime.close();
  }
});
