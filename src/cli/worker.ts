// npm run worker: runs the background jobs in a process of its own (for
// deployments that set RUN_WORKER=false on the web processes).
import { openRuntime, runMain } from '../runtime.js';

await runMain(async (config, log) => {
  const runtime = await openRuntime(config, log);
  const worker = await runtime.startWorker();
  log.info('Worker running; Ctrl-C stops it');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await worker.stop();
  await runtime.close();
  log.info('Worker stopped');
});
