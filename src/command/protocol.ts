/**
 * The protocol between holdup and a command connector's process (docs/command-connectors.md):
 * one JSON object per line. holdup writes calls on the process's stdin; the process writes
 * results, errors and warnings on its stdout. A stdout line whose first character that is not a
 * space is `{` is a message and must be one; any other line is the connector's own output.
 */
import { z } from 'zod';
import { HoldupError, parseWithSchema } from '../core/index.js';

/** holdup → process: run `operation` once; answer with the same `id`. */
export interface CallMessage {
  id: number;
  type: 'call';
  operation: string;
  input?: unknown;
}

const Id = z.number().int().min(1).describe('the id of the call it answers');

/** process → holdup. */
export const ProcessMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: Id, value: z.unknown().nonoptional('a "value" (null when the operation returns nothing)') }).strict(),
  z.object({ type: z.literal('error'), id: Id, message: z.string(), name: z.string().min(1).max(200).optional() }).strict(),
  z.object({ type: z.literal('warning'), message: z.string() }).strict(),
]);

export type ProcessMessage = z.output<typeof ProcessMessageSchema>;

/** Whether a stdout line is meant as a message (else it is the connector's own output). */
export function isMessageLine(line: string): boolean {
  return line.trimStart().startsWith('{');
}

/** A message line parsed and checked, or what is wrong with it, in words. */
export function parseMessageLine(line: string): { message: ProcessMessage } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { problem: `is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  try {
    // the helper every loader uses, for its words: where in the message, what was expected, what was found
    return { message: parseWithSchema(ProcessMessageSchema, value, { file: 'message', code: 'CONNECTOR_INVALID', hint: '' }) };
  } catch (error) {
    if (!(error instanceof HoldupError)) throw error;
    return { problem: `is not a protocol message: at ${error.path ?? '$'}: ${error.message}` };
  }
}
