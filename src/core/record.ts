/** One operation as `holdup record` ran it: src/record/record.ts reports it, src/report/record.ts renders it. */
export interface OperationRecording {
  operation: string;
  /** Requests the operation sent that were forwarded and recorded. */
  requests: number;
  /** Requests it sent that the recorder refused (they named another host): see `RefusedRequest`. */
  refused: number;
  /** Set when the operation threw or did not settle; its requests are recorded anyway. */
  error?: string;
  /** Warnings the connector gave through `warn`. */
  warnings: string[];
}

/**
 * A request the recording proxy refused: its target, `Host` or a forwarded host named something
 * other than the recorder or the upstream. It was answered with `status`, never forwarded to the
 * upstream, and is not in the contract.
 */
export interface RefusedRequest {
  /** The operation under way when it came ('' before the first). */
  operation: string;
  /** Method, target and the refused header, as sent: `GET /x (Host: evil.example)`. */
  request: string;
  status: number;
  /** Why, in a few words: `its Host names evil.example`. */
  reason: string;
}
