// The entry of a render pool's worker on a TypeScript script (render-pool.ts). Node 20 does not apply the loader
// hooks of `--import tsx` (inherited with process.execArgv) to worker threads (tsx issue #354): the script would
// fail with "Unknown file extension". tsx's own import hooks the thread it runs in. Plain JavaScript, since it is
// what makes TypeScript loadable here.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.script, workerData.script);
