/*
 * Preloaded into a bot process by the tests (NODE_OPTIONS=--import <this file>, LOADED_PACKAGES_FILE=<path>): when the
 * process exits, writes the names of the npm packages it loaded (those in the CommonJS module cache, where `require`
 * and tsx put them: https://nodejs.org/api/modules.html#requirecache), one a line. test/e2e/platform-modules.test.ts
 * reads it to see which platform SDKs a started bot loaded.
 */
import Module from 'node:module';
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const out = process.env.LOADED_PACKAGES_FILE;
if (out) {
  process.on('exit', () => {
    const names = new Set();
    for (const file of Object.keys(Module._cache)) {
      const m = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
      if (m) names.add(m[1]);
    }
    writeFileSync(out, [...names].sort().join('\n'));
  });
}
