/**
 * The result of `holdup verify`, as data: src/verify/verify.ts produces it, src/report/verify.ts
 * renders it.
 */

export type Drift =
  | { kind: 'status'; expected: number | string; actual: number | string }
  | { kind: 'header'; name: string; expected: string; actual: string | null; detail: string }
  | { kind: 'body'; path: string; expected: string; actual: string; detail: string }
  | { kind: 'body-type'; expected: string; actual: string; detail: string }
  | { kind: 'other'; type: string; detail: string }
  | { kind: 'error'; detail: string };

export interface VerifiedRequest {
  method: string;
  /** Path with the query string, as the contract has it (placeholders, never secret values). */
  target: string;
  headers: [string, string][];
  body?: string;
}

export interface InteractionVerification {
  /** Position in the contract file's `interactions` array. */
  index: number;
  description: string;
  method: string;
  path: string;
  providerStates: string[];
  pending: boolean;
  /**
   * `verified`; `drifted` (the provider's answer broke the contract, or it could not be asked);
   * `needs-secret` (not sent: a placeholder no secret fills); `not-run` (the verifier gave no result).
   */
  status: 'verified' | 'drifted' | 'needs-secret' | 'not-run';
  drift: Drift[];
  /** Secret names this interaction needs and was not given. */
  needsSecrets: string[];
  request: VerifiedRequest;
}

export interface ContractVerification {
  file: string;
  consumer: string;
  provider: string;
  interactions: InteractionVerification[];
}

export interface VerifySummary {
  total: number;
  verified: number;
  drifted: number;
  needsSecret: number;
  notRun: number;
}

export interface VerifyReport {
  providerUrl: string;
  /** Where provider states were set up; absent: they were not (the default). */
  stateChangeUrl?: string;
  /** Headers added to every request (names only). */
  headers: string[];
  contracts: ContractVerification[];
  summary: VerifySummary;
  /** True when every interaction verified (pending ones aside). */
  passed: boolean;
}
