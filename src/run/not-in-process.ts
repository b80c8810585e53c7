import { CATEGORY_IDS, CATEGORY_WEIGHTS, type Contract, type ConnectorReport, type LoadedConnector } from '../core/index.js';

/**
 * Why the connector cannot run in-process, or `undefined` when it can. In-process mode answers the
 * requests of holdup's own process (its `fetch` and `http`) on a virtual clock: a `command`
 * connector is a process of its own, whose requests and time it cannot reach.
 */
export function notInProcess(connector: LoadedConnector): string | undefined {
  if (!connector.process) return undefined;
  return `a command connector (\`${connector.process.command}\`) runs in a process of its own, whose sockets and clock in-process mode cannot reach`;
}

/** The report of a connector that was not run: every category not run, with why; not scored, and its gate not passed. */
export function notRunReport(connector: LoadedConnector, contract: Contract, why: string): ConnectorReport {
  const reason = `not run in-process: ${why}; run it in network mode (leave out --mode in-process)`;
  return {
    name: connector.definition.name,
    file: connector.file,
    contract: contract.file,
    valid: true,
    score: null,
    grade: null,
    gate: 'fail',
    gateReasons: [reason],
    coverage: null,
    executions: 0,
    categories: CATEGORY_IDS.map((id) => ({ id, weight: CATEGORY_WEIGHTS[id], status: 'not-run' as const, reason, checks: [], findings: [] })),
  };
}
