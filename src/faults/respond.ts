import { z } from 'zod';
import { defineFault, type CategoryId, type Fault, type Json, type ReplayResponse, type Stream } from '../core/index.js';

/** `Thu, 01 Jan 2026 00:00:02 GMT` for an epoch in ms (second precision, as HTTP-dates are). */
export function httpDate(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toUTCString();
}

/** A JSON response the upstream sends in its own name, with a `Date` header from the server clock. */
export function jsonResponse(status: number, body: Json, epochMs: number, headers: Record<string, string> = {}): ReplayResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', date: httpDate(epochMs), ...headers },
    body: JSON.stringify(body),
  };
}

/** The error body most JSON APIs send (Stripe-like). */
export function errorBody(type: string, message: string): Json {
  return { error: { type, message } };
}

/** A fault that answers in the upstream's place with a fixed error status (nothing was processed). */
export function statusFault(options: {
  id: string;
  category: CategoryId;
  status: number;
  summary: string;
  type: string;
  message: string;
  headers?: Record<string, string>;
  on?: Stream;
}): Fault<Record<string, never>> {
  return defineFault({
    id: options.id,
    category: options.category,
    summary: options.summary,
    on: options.on ?? 'api',
    fails: true,
    params: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    draw: () => ({}),
    apply: (_params, ctx) =>
      jsonResponse(options.status, errorBody(options.type, options.message), ctx.epochMs, options.headers),
  });
}

/**
 * The headers with one more value for `name` (a `Link` relation, say): appended to the header
 * already there, whatever the case of its name, or added.
 */
export function withHeaderValue(headers: Record<string, string>, name: string, value: string): Record<string, string> {
  const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
  if (existing === undefined) return { ...headers, [name]: value };
  return { ...headers, [existing]: `${headers[existing]}, ${value}` };
}
