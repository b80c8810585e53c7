/**
 * The import direction of src/ (ARCHITECTURE.md):
 *   core ← contracts / faults / checks ← replay / network / scenarios / fuzz / score / record / verify / command / import ← run / report ← config ← cli
 * A module may import its own folder and any folder of a lower layer; nothing imports cli or report.
 */
const layers = [
  ['core'],
  ['contracts', 'faults', 'checks'],
  ['replay', 'network', 'scenarios', 'fuzz', 'score', 'record', 'verify', 'command', 'import'],
  ['run', 'report'],
  ['config'],
  ['cli'],
];

const forbidden = [];
layers.forEach((layer, rank) => {
  const below = layers.slice(0, rank).flat();
  for (const module of layer) {
    const allowed = [module, ...below].filter((m) => m !== 'report' || module === 'report' || module === 'cli');
    forbidden.push({
      name: `${module}-imports-only-lower-layers`,
      comment: `src/${module} may import only ${allowed.map((m) => `src/${m}`).join(', ')}`,
      severity: 'error',
      from: { path: `^src/${module}/` },
      to: { path: '^src/', pathNot: [`^src/(${allowed.join('|')})/`] },
    });
  }
});
forbidden.push(
  {
    name: 'nothing-imports-cli',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/cli/' },
    to: { path: '^src/cli/' },
  },
  {
    name: 'public-api-imports-config-and-core',
    severity: 'error',
    from: { path: '^src/(index|vitest)\\.ts$' },
    to: { path: '^src/', pathNot: '^src/(config|core)/' },
  },
  {
    name: 'reporters-api-imports-report-and-core',
    comment: 'holdup/reporters exposes the report formats: src/report and src/core only',
    severity: 'error',
    from: { path: '^src/reporters\\.ts$' },
    to: { path: '^src/', pathNot: '^src/(report|core)/' },
  },
  {
    name: 'only-network-knows-toxiproxy-and-testcontainers',
    comment: 'src/network is the only code that knows Toxiproxy and testcontainers (ARCHITECTURE.md)',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/network/' },
    to: { path: 'node_modules/(toxiproxy-node-client|testcontainers|@testcontainers)/' },
  },
  {
    name: 'import-reads-with-core-and-contracts',
    comment: 'src/import (holdup import nock / openapi) builds contracts with src/contracts and src/core only (ARCHITECTURE.md)',
    severity: 'error',
    from: { path: '^src/import/' },
    to: { path: '^src/', pathNot: '^src/(import|contracts|core)/' },
  },
  {
    name: 'no-circular',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$|test-helpers\\.ts$|test-fixtures\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
