// The dependency rules of ../shared/ARCHITECTURE.md ("Data flows one way…"), written down so a tool checks them.
// A module is a folder src/modules/<name>/; its index.ts is the only file other code may import.
// `npm run deps` explains the state (violations by rule, cycles between modules, modules in layers) and
// `npm run deps:check` fails on any violation; both run src/cli/dependency-report.ts over this file.
// docs/ARCHITECTURE-STATUS.md records what they found, with the commands.
//
// Cycles between modules are checked twice. The rule no-module-cycle below catches a chain of file imports that
// leaves a module and comes back to it (through other modules, web/, or app.ts). A cycle between two module
// folders can exist without such a file chain (assignments/a.ts → moderation/b.ts, moderation/c.ts →
// assignments/d.ts): dependency-cruiser's folder-scoped rules would see it, but they treat src/ and seeds/ as
// folders too and take no `via`, so every module imports src/config.ts and "cycles" through src/app.ts. The
// report script therefore builds the module graph itself and fails on any cycle in it.

const MODULE = '^src/modules/([^/]+)/';
const ANY_MODULE_FILE = '^src/modules/[^/]+/';
const MODULE_INDEX = '^src/modules/[^/]+/index\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-module-cycle',
      comment:
        'A chain of imports leaves a module and comes back to it. Modules form layers: a lower one never reaches ' +
        'a higher one. When a lower module must cause work in a higher one, it enqueues a job or emits a domain ' +
        'event that the higher one handles.',
      severity: 'error',
      from: { path: MODULE },
      to: { circular: true, via: { pathNot: '^src/modules/$1/' } },
    },
    {
      name: 'no-deep-import-between-modules',
      comment:
        "A module imports another module's index.ts only: a module's other files are its own business. Export " +
        'what others need from index.ts, or move the code to the module it belongs to.',
      severity: 'error',
      from: { path: MODULE },
      to: { path: ANY_MODULE_FILE, pathNot: ['^src/modules/$1/', MODULE_INDEX] },
    },
    {
      name: 'no-deep-import-from-outside',
      comment:
        "Code outside the modules (app, runtime, server, cli, web, platform, seeds) imports a module's index.ts " +
        'only. Tests are exempt: they may reach into a module to test its parts.',
      severity: 'error',
      from: { pathNot: ['^src/modules/', '^test/'] },
      to: { path: ANY_MODULE_FILE, pathNot: MODULE_INDEX },
    },
    {
      name: 'platform-and-web-import-no-module',
      comment:
        'src/platform/ (infrastructure) and src/web/ (cross-cutting HTTP) sit below every module and import none; ' +
        'what they need from a module is handed to them by app.ts, through a function or interface they declare.',
      severity: 'error',
      from: { path: '^src/(platform|web)/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'no-import-of-entry-points',
      comment:
        'app.ts, modules.ts (the registry), runtime.ts and server.ts wire everything together and src/cli/ holds the commands: they sit above ' +
        'every module, platform and web file, which never import them, not even for a type.',
      severity: 'error',
      from: { path: '^src/(modules|platform|web)/' },
      to: { path: ['^src/(app|modules|runtime|server)\\.ts$', '^src/cli/'] },
    },
    {
      name: 'platform-imports-no-web',
      comment: 'src/platform/ is the lowest layer: infrastructure, without HTTP or business rules.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'no-test-code-in-app',
      comment: 'The application, its seeds and its migrations never import test code.',
      severity: 'error',
      from: { path: '^(src|seeds|migrations)/' },
      to: { path: '^test/' },
    },
    {
      name: 'tests-import-no-test-file',
      comment:
        'A test file imports test/support/ and the code under test, never another *.test.ts: mocha would ' +
        'register that file’s tests a second time.',
      severity: 'error',
      from: { path: '^test/' },
      to: { path: '\\.test\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'An import the checker cannot resolve is one it cannot check: fix the import or this configuration, so ' +
        'no rule passes because a file went unseen.',
      severity: 'error',
      from: { pathNot: 'node_modules' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: `import type { AppDeps } from '../../app.js'` ties a module to app.ts as much as
    // a value import does, although the compiled JavaScript drops it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // dependency-cruiser resolves the `.js` suffixes of TypeScript imports to the `.ts` files by itself. The
    // `exports` field is needed for ESM-only packages without `main`, such as meilisearch.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
