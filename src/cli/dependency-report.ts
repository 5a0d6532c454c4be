// npm run deps: how the code keeps the dependency rules of .dependency-cruiser.mjs (../shared/ARCHITECTURE.md,
// "Data flows one way…"): the violations grouped by rule, the cycles between modules, the modules in layers, and
// the figures docs/ARCHITECTURE-STATUS.md compares before and after (deep imports, index.ts exports no other code
// uses, transactions opened outside platform/db.ts's inTransaction).
// npm run deps:check (--check): the violations and module cycles only; exit code 1 when there is any.
// A module is a folder src/modules/<name>/. Edges between modules count type-only imports too.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import ts from 'typescript';

const CONFIG_FILE = './.dependency-cruiser.mjs';
const CRUISED = ['src', 'seeds', 'migrations', 'test'];
const MODULE_FILE = /^src\/modules\/([^/]+)\//;
// Who may justify an export of a module's index.ts (the issue's definition): another module or an entry point.
const ENTRY_POINT = /^src\/(app|modules|runtime|server)\.ts$|^src\/cli\//;
const ENTRY_FILE_IN_CYCLE = /(^| )src\/(app|modules|runtime|server)\.ts( |$)/;

type Graph = Map<string, Set<string>>;

const out: string[] = [];
const print = (line = ''): void => void out.push(line);

function moduleOf(file: string): string | undefined {
  return MODULE_FILE.exec(file)?.[1];
}

// --- the cruise --------------------------------------------------------------------------------------------

async function cruiseProject(): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(CONFIG_FILE);
  const tsConfig = extractTSConfig(options.tsConfig?.fileName ?? 'tsconfig.json');
  const result = await cruise(CRUISED, options, {}, { tsConfig });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser answered text instead of a result');
  return result.output;
}

function localTypeScriptFiles(result: ICruiseResult): string[] {
  return result.modules
    .map((module) => module.source)
    .filter((source) => source.endsWith('.ts') && !source.startsWith('node_modules/'))
    .sort();
}

// --- violations, grouped by rule ---------------------------------------------------------------------------

/** One line per distinct cycle, rotated to start at its smallest member so the same cycle reads the same. */
function cycleLine(violation: IViolation): string {
  const members = [violation.from, ...(violation.cycle ?? []).map((step) => step.name)];
  members.pop(); // the cycle ends where it began
  const start = members.indexOf([...members].sort()[0]!);
  const rotated = [...members.slice(start), ...members.slice(0, start)];
  return [...rotated, rotated[0]].join(' → ');
}

function violationLines(violations: IViolation[]): string[] {
  const lines = violations.map((violation) =>
    violation.type === 'cycle' ? cycleLine(violation) : `${violation.from} → ${violation.to}`,
  );
  return [...new Set(lines)].sort();
}

/** The rule's comment, wrapped to the width of a terminal. */
function printWhy(comment: string): void {
  let line = '  why:';
  for (const word of comment.split(' ')) {
    if (line.length + word.length >= 110) {
      print(line);
      line = '      ';
    }
    line += ` ${word}`;
  }
  print(line);
}

function printViolations(result: ICruiseResult, comments: Map<string, string>, all: boolean): number {
  const byRule = new Map<string, IViolation[]>();
  for (const violation of result.summary.violations)
    byRule.set(violation.rule.name, [...(byRule.get(violation.rule.name) ?? []), violation]);
  print(`Rule violations (${CONFIG_FILE}): ${result.summary.violations.length}`);
  for (const [rule, violations] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    const lines = violationLines(violations);
    const isCycle = violations[0]?.type === 'cycle';
    print();
    print(`${rule}: ${violations.length}${isCycle ? ` imports in ${lines.length} distinct file cycles` : ''}`);
    const comment = comments.get(rule);
    if (comment) printWhy(comment);
    // File cycles through an entry point (before issue 10, 91 ran through src/app.ts because routes imported the
    // type AppDeps from it) share one cause, so they are counted rather than listed unless asked for.
    const throughEntry = isCycle && !all ? lines.filter((line) => ENTRY_FILE_IN_CYCLE.test(line)) : [];
    for (const line of lines) if (!throughEntry.includes(line)) print(`  ${line}`);
    if (throughEntry.length)
      print(`  … and ${throughEntry.length} cycles through src/app.ts, modules.ts, runtime.ts or server.ts (listed with --all)`);
  }
  return result.summary.violations.length;
}

// --- the module graph --------------------------------------------------------------------------------------

/** Module → modules it imports, with the file imports behind each edge. */
function moduleGraph(result: ICruiseResult): { graph: Graph; evidence: Map<string, string[]> } {
  const graph: Graph = new Map();
  const evidence = new Map<string, string[]>();
  for (const module of result.modules) {
    const from = moduleOf(module.source);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const dependency of module.dependencies) {
      const to = moduleOf(dependency.resolved);
      if (!to || to === from) continue;
      graph.get(from)!.add(to);
      const key = `${from} → ${to}`;
      evidence.set(key, [...(evidence.get(key) ?? []), `${module.source} → ${dependency.resolved}`]);
    }
  }
  for (const targets of graph.values()) for (const to of targets) if (!graph.has(to)) graph.set(to, new Set());
  return { graph, evidence };
}

/** Every elementary cycle, each once, starting at its alphabetically first module. */
function elementaryCycles(graph: Graph): string[][] {
  const names = [...graph.keys()].sort();
  const cycles: string[][] = [];
  for (const start of names) {
    const walk = (node: string, trail: string[]): void => {
      for (const next of [...graph.get(node)!].sort()) {
        if (next === start) cycles.push([...trail, start]);
        else if (next > start && !trail.includes(next)) walk(next, [...trail, next]);
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

/** Strongly connected components (Tarjan), so a cycle's modules share one layer. */
function components(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== node);
      found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** Layer 0 imports no other module; every other module sits one above the highest it imports. */
function layers(graph: Graph): string[][][] {
  const componentOf = new Map<string, string[]>();
  for (const component of components(graph)) for (const member of component) componentOf.set(member, component);
  const layerOf = new Map<string[], number>();
  const layer = (component: string[]): number => {
    const known = layerOf.get(component);
    if (known !== undefined) return known;
    let highest = -1;
    for (const member of component)
      for (const to of graph.get(member)!) {
        const target = componentOf.get(to)!;
        if (target !== component) highest = Math.max(highest, layer(target));
      }
    layerOf.set(component, highest + 1);
    return highest + 1;
  };
  const byLayer: string[][][] = [];
  for (const component of new Set(componentOf.values())) (byLayer[layer(component)] ??= []).push(component);
  return byLayer.map((row) => row.sort((a, b) => a[0]!.localeCompare(b[0]!)));
}

function printModuleCycles(cycles: string[][], evidence: Map<string, string[]>): void {
  print(`Cycles between modules (module → module imports, type-only included): ${cycles.length}`);
  const edges = new Set<string>();
  for (const cycle of cycles) {
    print(`  ${cycle.join(' → ')}`);
    for (let i = 0; i + 1 < cycle.length; i++) edges.add(`${cycle[i]} → ${cycle[i + 1]}`);
  }
  if (edges.size === 0) return;
  print();
  print('  The imports that make these cycles:');
  for (const edge of [...edges].sort()) {
    print(`  ${edge}`);
    for (const line of evidence.get(edge)!.sort()) print(`      ${line}`);
  }
}

function printLayers(result: ICruiseResult, graph: Graph, cycles: string[][]): void {
  const inCycle = new Set(cycles.flatMap((cycle) => cycle.slice(1).map((to, i) => `${cycle[i]} → ${to}`)));
  const rows = layers(graph);
  print('Modules in layers: a module imports only modules in layers below its own. ↺ marks an import that');
  print('closes a cycle; the modules of a cycle share one layer until it is broken.');
  const printModule = (name: string, indent: string): void => {
    const targets = [...graph.get(name)!].sort().map((to) => (inCycle.has(`${name} → ${to}`) ? `${to} ↺` : to));
    print(`${indent}${name.padEnd(17 - indent.length)} → ${targets.length ? targets.join(', ') : '(no module)'}`);
  };
  rows.forEach((row, level) => {
    print();
    print(`layer ${level}`);
    for (const component of row.filter((members) => members.length === 1)) printModule(component[0]!, '  ');
    for (const component of row.filter((members) => members.length > 1)) {
      print(`  a cycle of ${component.length} modules:`);
      for (const name of component) printModule(name, '    ');
    }
  });
  // Outside the modules: who imports which module (platform/ and web/ should import none).
  const outside = new Map<string, Set<string>>();
  for (const module of result.modules) {
    if (moduleOf(module.source) || !/^(src|seeds)\//.test(module.source)) continue;
    const area = module.source.replace(/^(seeds\/|src\/[^/]+\/).*$/, '$1');
    for (const dependency of module.dependencies) {
      const to = moduleOf(dependency.resolved);
      if (to) outside.set(area, (outside.get(area) ?? new Set()).add(to));
    }
  }
  print();
  print('Outside the modules (app, modules.ts, runtime, server, cli and seeds sit above them; platform/ and web/ below):');
  for (const [area, targets] of [...outside].sort(([a], [b]) => a.localeCompare(b)))
    print(`  ${area.padEnd(15)} → ${[...targets].sort().join(', ')}`);
}

// --- figures for docs/ARCHITECTURE-STATUS.md ---------------------------------------------------------------

function printDeepImports(result: ICruiseResult): void {
  const deep = result.summary.violations.filter((violation) => violation.rule.name.startsWith('no-deep-import'));
  print(`Deep imports (an import of another module's file other than its index.ts; tests exempt): ${deep.length}`);
  const lines = deep.map((violation) =>
    moduleOf(violation.from)
      ? `${moduleOf(violation.from)} → ${violation.to}   (in ${violation.from})`
      : `${violation.from} → ${violation.to}`,
  );
  for (const line of lines.sort()) print(`  ${line}`);
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The file a relative import names, as a project path (`./x.js` → `dir/x.ts`). */
function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.posix.join(path.posix.dirname(fromFile), specifier).replace(/\.js$/, '.ts');
}

/** Names a file takes from each file it imports or re-exports from; `*` for a namespace or `export *`. */
function importedNames(file: string): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  const add = (specifier: ts.Expression | undefined, name: string): void => {
    if (!specifier || !ts.isStringLiteral(specifier)) return;
    const target = resolveImport(file, specifier.text);
    if (target) names.set(target, (names.get(target) ?? new Set()).add(name));
  };
  for (const statement of parse(file).statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) add(statement.moduleSpecifier, 'default');
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(statement.moduleSpecifier, '*');
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) add(statement.moduleSpecifier, (element.propertyName ?? element.name).text);
    } else if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (!clause || !ts.isNamedExports(clause)) add(statement.moduleSpecifier, '*');
      else for (const element of clause.elements) add(statement.moduleSpecifier, (element.propertyName ?? element.name).text);
    }
  }
  return names;
}

/** The names an index.ts exports: `export { a, type B } from …` and declarations marked `export`. */
function exportedNames(indexFile: string): string[] {
  const names: string[] = [];
  for (const statement of parse(indexFile).statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause))
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      const name = (statement as { name?: ts.Identifier }).name?.text;
      if (name) names.push(name);
      if (ts.isVariableStatement(statement))
        for (const declaration of statement.declarationList.declarations)
          if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
    }
  }
  return names.sort((a, b) => a.localeCompare(b));
}

function printUnusedExports(files: string[]): void {
  const usesByFile = new Map(files.map((file) => [file, importedNames(file)]));
  const indexFiles = files.filter((file) => /^src\/modules\/[^/]+\/index\.ts$/.test(file));
  const report: string[] = [];
  let total = 0;
  let nowhere = 0;
  let exported = 0;
  for (const indexFile of indexFiles) {
    const owner = moduleOf(indexFile)!;
    // Where each name is used outside its module, by kind of user.
    const users = new Map<string, Set<string>>();
    for (const [file, uses] of usesByFile) {
      if (moduleOf(file) === owner) continue;
      const names = uses.get(indexFile);
      if (!names) continue;
      const kind =
        moduleOf(file) || ENTRY_POINT.test(file)
          ? 'counted'
          : file.startsWith('test/')
            ? 'tests'
            : (/^(src\/[^/]+\/|seeds\/|[^/]+$)/.exec(file)?.[0] ?? file);
      for (const name of names) users.set(name, (users.get(name) ?? new Set()).add(kind));
    }
    const names = exportedNames(indexFile);
    exported += names.length;
    const unused = names.filter((name) => !users.get(name)?.has('counted') && !users.get('*')?.has('counted'));
    total += unused.length;
    report.push(`  ${owner} (${unused.length} of ${names.length})`);
    for (const name of unused) {
      const elsewhere = [...(users.get(name) ?? [])].sort();
      if (elsewhere.length === 0) nowhere++;
      report.push(`      ${name}${elsewhere.length ? `   (used only by ${elsewhere.join(', ')})` : ''}`);
    }
  }
  print(
    `Exports of a module's index.ts that no other module, src/app.ts, src/modules.ts, src/runtime.ts, src/server.ts or ` +
      `src/cli/* imports: ${total} of ${exported}`,
  );
  print(`  of which ${nowhere} are imported by nothing outside their module (not by web/, seeds/ or tests either)`);
  for (const line of report) print(line);
}

/** Calls of `<something>.transaction(`, apart from the one inside inTransaction in src/platform/db.ts. */
function printTransactions(files: string[]): void {
  const bare = new Map<string, number>();
  const helper = new Map<string, number>();
  for (const file of files.filter((name) => !name.startsWith('test/'))) {
    const visit = (node: ts.Node, insideHelper: boolean): void => {
      const inHelper =
        insideHelper || (ts.isFunctionDeclaration(node) && node.name?.text === 'inTransaction' && file === 'src/platform/db.ts');
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'transaction' && !inHelper)
          bare.set(file, (bare.get(file) ?? 0) + 1);
        if (ts.isIdentifier(callee) && callee.text === 'inTransaction') helper.set(file, (helper.get(file) ?? 0) + 1);
      }
      ts.forEachChild(node, (child) => visit(child, inHelper));
    };
    visit(parse(file), false);
  }
  const sum = (counts: Map<string, number>, prefix: string): number =>
    [...counts].filter(([file]) => file.startsWith(prefix)).reduce((total, [, count]) => total + count, 0);
  print(
    `Transactions opened with a bare \`.transaction(\` outside inTransaction (src/platform/db.ts): ` +
      `${sum(bare, 'src/')} in src/, ${sum(bare, 'seeds/')} in seeds/ (tests not counted)`,
  );
  for (const [file, count] of [...bare].sort(([a], [b]) => a.localeCompare(b))) print(`  ${String(count).padStart(3)}  ${file}`);
  print(`inTransaction calls: ${sum(helper, '')}`);
  for (const [file, count] of [...helper].sort(([a], [b]) => a.localeCompare(b)))
    print(`  ${String(count).padStart(3)}  ${file}`);
}

// --- main --------------------------------------------------------------------------------------------------

const { check, all } = parseArgs({
  options: { check: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } },
}).values;
const result = await cruiseProject();
const comments = new Map((result.summary.ruleSetUsed?.forbidden ?? []).map((rule) => [rule.name ?? '', rule.comment ?? '']));
const { graph, evidence } = moduleGraph(result);
const cycles = elementaryCycles(graph);

const violations = printViolations(result, comments, all ?? false);
print();
printModuleCycles(cycles, evidence);
if (!check) {
  for (const section of [
    () => printLayers(result, graph, cycles),
    () => printDeepImports(result),
    () => printUnusedExports(localTypeScriptFiles(result)),
    () => printTransactions(localTypeScriptFiles(result)),
  ]) {
    print();
    print('-'.repeat(100));
    section();
  }
}
print();
print(
  violations + cycles.length === 0
    ? 'The dependency rules hold.'
    : `${violations} rule violations, ${cycles.length} cycles between modules.`,
);
process.stdout.write(`${out.join('\n')}\n`);
if (check && violations + cycles.length > 0) process.exitCode = 1;
