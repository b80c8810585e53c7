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

/**
 * A connector in another language (docs/command-connectors.md): holdup starts `run` as a process
 * of its own for each execution and calls its operations over JSON lines on its stdin and stdout.
 */
export interface CommandSpec {
  /** The program and its arguments, started without a shell: `['python3', 'connector.py']`. */
  run: readonly [string, ...string[]];
  /** The folder it starts in, relative to the connector file's folder; that folder by default. */
  cwd?: string;
  /** Variables added to the environment holdup gives it. */
  env?: Record<string, string>;
}

export interface CommandOperationDefinition {
  kind: 'read' | 'write';
  /** Sent with every call of the operation, as its `input`: any JSON value. */
  input?: unknown;
}

/** `defineConnector` with a `command` in place of `create` and the operations' `run`. */
export interface CommandConnectorDefinition<Credentials = Record<string, string>>
  extends Omit<ConnectorDefinition<never, Credentials>, 'create' | 'operations'> {
  command: CommandSpec;
  operations: Record<string, CommandOperationDefinition>;
}

/** A connector definition together with where it was loaded from. */
export interface LoadedConnector {
  definition: ConnectorDefinition;
  /** The connector file, relative to the project root. */
  file: string;
  /** The contract path resolved against the project root. */
  contractPath: string;
  /**
   * Set for a `command` connector, whose `create` starts a process: `close` ends the process of the
   * client `create` returned, once its execution is over. Such a connector runs in network mode only.
   */
  process?: {
    /** The command, as a person reads it: `python3 connector.py`. */
    command: string;
    close(client: unknown): Promise<void>;
    /**
     * Why an error an operation ended with says nothing of how the connector handled the faults
     * (its process broke the protocol), or undefined: such an execution is not judged.
     */
    unjudged(error: unknown): string | undefined;
  };
}
