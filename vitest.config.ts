import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// connector files and tests import 'holdup' and 'holdup/vitest' (the package itself): point them at the sources
const alias = [
  { find: /^holdup\/vitest$/, replacement: fileURLToPath(new URL('./src/vitest.ts', import.meta.url)) },
  { find: /^holdup\/reporters$/, replacement: fileURLToPath(new URL('./src/reporters.ts', import.meta.url)) },
  { find: /^holdup$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
];

export default defineConfig({
  resolve: { alias },
  test: {
    // connector and config files are loaded by holdup's own loader (tsx), outside vite: the
    // `holdup-source` condition points their `import 'holdup'` at src/index.ts too (package.json)
    execArgv: ['--conditions=holdup-source'],
    // what test runs record of the processes and proxies they start (some are killed on purpose)
    // stays out of the developer's own state folder, ~/.local/state/holdup, which real runs reap
    env: { HOLDUP_STATE_DIR: join(tmpdir(), 'holdup-test-state') },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.e2e.test.ts', 'src/**/*.container.test.ts', 'src/**/*.browser.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // end to end: real servers, the CLI, Pact's own Verifier; beside the module they exercise
          include: ['src/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'calibration',
          // the calibration suite: connectors on real retry libraries with their defaults, and what holdup must say of each
          // (fixtures/calibration/README.md); after the other projects, alone, so its real waits are not judged on a machine
          // the other end-to-end runs keep busy
          include: ['fixtures/calibration/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          // report.html in a headless Chromium (.ci/run installs Debian's)
          include: ['src/**/*.browser.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'containers',
          // the container path: needs a container engine (.ci/run starts Podman) and the image
          include: ['src/**/*.container.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
