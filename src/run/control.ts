/**
 * The control step: each operation runs once with no faults. Its result is the golden result
 * the fault executions are compared with; a control that throws, hangs or sends a request no
 * interaction matches makes the connector invalid, reported with the near miss and not scored.
 */
import {
  CATEGORY_IDS,
  CATEGORY_WEIGHTS,
  HoldupError,
  formatError,
  type ConnectorReport,
  type Contract,
  type LoadedConnector,
  type Observation,
} from '../core/index.js';
import { describeOutcome, goldenOf, pathWithQuery } from './findings.js';

/** One operation's control execution, and why it disqualifies the connector when it does. */
export interface ControlResult {
  name: string;
  observation: Observation;
  failure: HoldupError | undefined;
}

/** Why a control execution disqualifies the connector, as the error a person reads; undefined when it passed. */
export function controlFailure(observation: Observation, connector: LoadedConnector, contract: Contract): HoldupError | undefined {
  const path = `operations.${observation.operation}`;
  const miss = observation.trace.find((entry) => entry.unmatched);
  if (miss) {
    const request = `${miss.request.method} ${pathWithQuery(miss.request)}`;
    const near = miss.nearMiss;
    const closest = near
      ? `; closest: "${near.interaction.description}" (${near.mismatches
          .slice(0, 3)
          .map((m) => `${m.part}${m.path ? ` ${m.path}` : ''}: expected ${m.expected}, found ${m.actual}`)
          .join('; ')})`
      : '';
    return new HoldupError('NO_MATCH', `${request} matched no interaction in ${contract.file}${closest}`, {
      file: connector.file,
      path,
      hint: 'make the connector send what the contract records, or record the contract again (the control run has no faults)',
    });
  }
  const outcome = observation.outcomes[0];
  if (!outcome || outcome.status === 'returned') return undefined;
  if (outcome.status === 'hung') {
    return new HoldupError('CONTROL_HUNG', `${describeOutcome(outcome, observation.deadlineMs)} in the control run (no faults)`, {
      file: connector.file,
      path,
      hint: 'make the operation return or throw (an un-awaited promise or a missing timeout is the usual cause), or raise deadlineMs',
    });
  }
  return new HoldupError('CONTROL_THREW', `${describeOutcome(outcome, observation.deadlineMs)} in the control run (no faults)`, {
    file: connector.file,
    path,
    hint: 'fix the connector or the contract so that the operation succeeds against the recorded interactions',
  });
}

/** Why an invalid connector fails the gate, in the words of what went wrong in its control run. */
function controlGateReason(codes: readonly string[]): string {
  if (codes.every((code) => code === 'CONTROL_HUNG')) return 'the control run failed: an operation did not settle within its deadline, with no fault injected';
  if (codes.every((code) => code === 'NO_MATCH')) return 'the control run failed: the connector sent requests its contract does not hold';
  return 'the control run failed: with no fault injected, the connector and its contract disagree';
}

/** The contract's interactions that were not replayed, for the connector's report. */
export function skippedOf(contract: Contract): Pick<ConnectorReport, 'skippedInteractions'> {
  return contract.skipped && contract.skipped.length > 0 ? { skippedInteractions: contract.skipped } : {};
}

/** The report of a connector whose control run failed: invalid, not scored, every category not run. */
export function invalidConnectorReport(connector: LoadedConnector, contract: Contract, controls: readonly ControlResult[]): ConnectorReport {
  const failures = controls.flatMap((control) => (control.failure ? [control.failure] : []));
  return {
    name: connector.definition.name,
    file: connector.file,
    contract: contract.file,
    valid: false,
    invalidReason: failures.map((failure) => formatError(failure)).join('\n'),
    score: null,
    grade: null,
    gate: 'fail',
    gateReasons: [controlGateReason(failures.map((failure) => failure.code))],
    coverage: null,
    executions: controls.length,
    ...skippedOf(contract),
    categories: CATEGORY_IDS.map((id) => ({
      id,
      weight: CATEGORY_WEIGHTS[id],
      status: 'not-run' as const,
      reason: 'the control run failed',
      checks: [],
      findings: [],
    })),
  };
}

/** Each operation's control observation and golden result, by operation name. */
export function goldenResults(controls: readonly ControlResult[]): {
  controlOf: Map<string, Observation>;
  golden: Map<string, Observation['golden']>;
} {
  const controlOf = new Map<string, Observation>();
  const golden = new Map<string, Observation['golden']>();
  for (const { name, observation } of controls) {
    controlOf.set(name, observation);
    const result = goldenOf(observation);
    if (result) golden.set(name, result);
  }
  return { controlOf, golden };
}
