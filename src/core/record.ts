/** One operation as `holdup record` ran it: src/run/record.ts reports it, src/report/record.ts renders it. */
export interface OperationRecording {
  operation: string;
  /** Requests the operation sent. */
  requests: number;
  /** Set when the operation threw or did not settle; its requests are recorded anyway. */
  error?: string;
  /** Warnings the connector gave through `warn`. */
  warnings: string[];
}
