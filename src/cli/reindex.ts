// npm run reindex: rebuilds the search index from the database into a new
// index and swaps it in atomically, so searches answer throughout; then the
// people index (/kompetens) the same way.
import { reindexAssignments } from '../modules/search/index.js';
import { reindexPeople } from '../modules/skills/index.js';
import { openRuntime, runMain } from '../runtime.js';

await runMain(async (config, log) => {
  const runtime = await openRuntime(config, log);
  try {
    if (!runtime.search) throw new Error('No Meilisearch is available: nothing to reindex');
    // reindexAssignments logs what it did (documents, repaired, milliseconds).
    const deps = { db: runtime.db, search: runtime.search, indexPrefix: config.meili.indexPrefix, log };
    await reindexAssignments(deps);
    await reindexPeople(deps);
  } finally {
    await runtime.close();
  }
});
