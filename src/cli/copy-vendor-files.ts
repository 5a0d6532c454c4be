// Runs at `npm install` / `npm ci` (the postinstall script): copies the browser
// builds of front-end packages from node_modules into public/vendor, which is
// not in git. The pages load them from the site itself, as the CSP allows
// scripts and styles only from 'self'; the version is the one package-lock.json pins.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const VENDORED: Record<string, string[]> = {
  leaflet: ['dist/leaflet.js', 'dist/leaflet.css', 'dist/images', 'LICENSE'],
  'htmx.org': ['dist/htmx.min.js', 'LICENSE'],
};

const require = createRequire(import.meta.url);
const vendorDir = path.resolve(import.meta.dirname, '..', '..', 'public', 'vendor');

for (const [name, files] of Object.entries(VENDORED)) {
  const packageDir = path.dirname(require.resolve(`${name}/package.json`));
  const target = path.join(vendorDir, name);
  // Start empty, so files an older version had do not linger.
  fs.rmSync(target, { recursive: true, force: true });
  for (const file of files) {
    fs.cpSync(path.join(packageDir, file), path.join(target, path.basename(file)), { recursive: true });
  }
}
