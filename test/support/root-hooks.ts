import { killLeftoverProcesses } from './processes.js';
import { startTestServices, type TestServices } from './services.js';

// Mocha root hooks: the shared servers start once before the first test file
// and stop after the last. Test files reach them through testServices().

let services: TestServices | undefined;

export function testServices(): TestServices {
  if (!services) throw new Error('Test services are not running (is test/support/root-hooks.ts required?)');
  return services;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    services = await startTestServices();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    killLeftoverProcesses();
    await services?.stop();
  },
};
