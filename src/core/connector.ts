/** The public connector API (docs/connectors.md). */

export interface ConnectorContext<Credentials> {
  /** A fresh base URL for this execution: the replay server (or the proxy in front of it). */
  baseUrl: string;
  credentials: Credentials;
  /** How a connector surfaces deprecation and other warnings. */
  warn(message: string): void;
}

export interface OperationDefinition<Client> {
  kind: 'read' | 'write';
  run(client: Client): unknown;
}

export interface ConnectorDefinition<Client = any, Credentials = Record<string, string>> {
  /** Unique name, used in reports and `--connector`. */
  name: string;
  /** The Pact contract this connector talks to, relative to the project root. */
  contract: string;
  credentials?: Credentials;
  /** Builds a client for one execution. */
  create(context: ConnectorContext<Credentials>): Client | Promise<Client>;
  operations: Record<string, OperationDefinition<Client>>;
  /** An operation that has not settled by then is a hang. 10 000 ms by default. */
  deadlineMs?: number;
  /**
   * The connector's own timeout for one HTTP request, if it has one. Optional: holdup uses it
   * to keep "latency below the timeout" scenarios below it (a quarter of it at most).
   */
  requestTimeoutMs?: number;
  /**
   * How many retries the connector is asked to make to ride out a fault: a burst that fails more
   * requests in a row may end the operation, as long as it ends loudly and in time. The config's
   * `retryBudget` (2 by default: got's, ky's and most SDKs' default) when absent.
   */
  retryBudget?: number;
  /** Removes values that legitimately vary (timestamps, random ids) before results are compared. */
  normalize?(result: unknown, operation: string): unknown;
}

/** How long an operation may take before it is a hang, when its connector gives no `deadlineMs`. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** A connector definition together with where it was loaded from. */
export interface LoadedConnector {
  definition: ConnectorDefinition;
  /** The connector file, relative to the project root. */
  file: string;
  /** The contract path resolved against the project root. */
  contractPath: string;
}
