import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// `npm test` runs `npm run deps:check` over the real tree. This shows that the check would catch what it is
// there for: in a copy of the project, a planted module cycle and a planted deep import each make it fail, with
// the rule named, and the copy as it is passes.

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const REPORT = path.join(ROOT, 'src', 'cli', 'dependency-report.ts');

async function check(cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', REPORT, '--check'], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('Dependency rules (npm run deps:check)', function () {
  this.timeout(120_000);
  let copy: string;

  before(async () => {
    copy = await fs.mkdtemp(path.join(os.tmpdir(), 'ub-deps-'));
    for (const entry of [
      'src',
      'seeds',
      'migrations',
      'test',
      'tsconfig.json',
      'knexfile.ts',
      '.dependency-cruiser.mjs',
      'package.json',
    ])
      await fs.cp(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
    await fs.symlink(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  });

  after(async () => {
    if (copy) await fs.rm(copy, { recursive: true, force: true });
  });

  /** Writes a file into the copy for one check, and removes it afterwards. */
  async function withPlanted(file: string, content: string, body: () => Promise<void>): Promise<void> {
    const target = path.join(copy, file);
    await fs.writeFile(target, content);
    try {
      await body();
    } finally {
      await fs.rm(target);
    }
  }

  it('when nothing is planted, then the copy passes', async () => {
    const { code, output } = await check(copy);
    expect(output).to.contain('Cycles between modules (module → module imports, type-only included): 0');
    expect(code, output).to.equal(0);
  });

  it('when the lowest module imports one that builds on it, then the check fails naming the cycle', async () => {
    // access is imported by posting (through its index), so access importing posting closes a cycle.
    await withPlanted(
      'src/modules/access/planted.ts',
      "import { postingModule } from '../posting/index.js';\nexport const planted = postingModule.name;\n",
      async () => {
        const { code, output } = await check(copy);
        expect(code, output).to.equal(1);
        expect(output).to.match(/access → posting → access|posting → access → posting/);
      },
    );
  });

  it("when a module imports another module's inner file, then the check fails naming the deep import", async () => {
    await withPlanted(
      'src/modules/feedback/planted.ts',
      "import { hashPassword } from '../accounts/passwords.js';\nexport const planted = hashPassword;\n",
      async () => {
        const { code, output } = await check(copy);
        expect(code, output).to.equal(1);
        expect(output).to.contain('no-deep-import-between-modules');
        expect(output).to.contain('src/modules/feedback/planted.ts → src/modules/accounts/passwords.ts');
      },
    );
  });

  it('when web/ imports a module, then the check fails', async () => {
    await withPlanted(
      'src/web/planted.ts',
      "import { accessModule } from '../modules/access/index.js';\nexport const planted = accessModule.name;\n",
      async () => {
        const { code, output } = await check(copy);
        expect(code, output).to.equal(1);
        expect(output).to.contain('platform-and-web-import-no-module');
      },
    );
  });
});
