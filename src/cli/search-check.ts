// npm run search:check [-- --fix]: compares the database with the search indexes
// (assignments, and people for /kompetens)
// and reports missing, stale and outdated documents. Exit code 1 when they
// differ; with --fix the differences are repaired and the exit code is 0.
import { parseArgs } from 'node:util';
import { checkAssignmentIndex, indexDiffers, type IndexCheck } from '../modules/search/index.js';
import { checkPeopleIndex, peopleIndexDiffers, type PeopleIndexCheck } from '../modules/skills/index.js';
import { openRuntime, runMain } from '../runtime.js';

const SHOWN_IDS = 20;

function idList(label: string, ids: ReadonlyArray<number | string>): string {
  const shown = ids.slice(0, SHOWN_IDS).join(', ');
  return `  ${label}: ${ids.length}${ids.length ? ` (${shown}${ids.length > SHOWN_IDS ? ', …' : ''})` : ''}`;
}

function formatIndexCheck(check: IndexCheck): string {
  return [
    `search:check: ${check.expected} open assignments in the database, ${check.indexed} documents in the index`,
    idList('missing from the index', check.missing),
    idList('stale (no longer open)', check.stale),
    idList('outdated', check.outdated),
    indexDiffers(check)
      ? check.fixed
        ? 'Repaired.'
        : 'The index differs: run with --fix to repair.'
      : 'The index matches the database.',
  ].join('\n');
}

function formatPeopleCheck(check: PeopleIndexCheck): string {
  return [
    `search:check: ${check.expected} people to show in the database, ${check.indexed} documents in the people index`,
    idList('missing from the index', check.missing),
    idList('stale (hidden, emptied or deleted)', check.stale),
    idList('outdated', check.outdated),
    peopleIndexDiffers(check)
      ? check.fixed
        ? 'Repaired.'
        : 'The people index differs: run with --fix to repair.'
      : 'The people index matches the database.',
  ].join('\n');
}

await runMain(async (config, log) => {
  let fix: boolean;
  try {
    fix = parseArgs({ options: { fix: { type: 'boolean', default: false } } }).values.fix ?? false;
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run search:check [-- --fix]`);
    process.exitCode = 2;
    return;
  }
  const runtime = await openRuntime(config, log);
  try {
    if (!runtime.search) throw new Error('No Meilisearch is available: nothing to check');
    const deps = { db: runtime.db, search: runtime.search, indexPrefix: config.meili.indexPrefix, log };
    const check = await checkAssignmentIndex(deps, { fix });
    // The report is the command's output (stdout), apart from the JSON log lines.
    process.stdout.write(`${formatIndexCheck(check)}\n`);
    const people = await checkPeopleIndex(deps, { fix });
    process.stdout.write(`${formatPeopleCheck(people)}\n`);
    if ((indexDiffers(check) || peopleIndexDiffers(people)) && !fix) process.exitCode = 1;
  } finally {
    await runtime.close();
  }
});
