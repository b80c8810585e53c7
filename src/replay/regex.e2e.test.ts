/**
 * The contract regex that sent the replay server to 100 % CPU on a backtracking engine
 * (`^([^!]+)+!$` against a long header without "!") is answered by the real server at once,
 * and the server still answers the next request: matching runs on RE2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseContract } from '../contracts/load.js';
import { FAULTS } from '../faults/index.js';
import { startReplayServer, type ReplayServer } from './index.js';

const contract = parseContract(
  JSON.stringify({
    consumer: { name: 'c' },
    provider: { name: 'p' },
    metadata: { pactSpecification: { version: '4.0' } },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: 'create an item',
        request: {
          method: 'POST',
          path: '/v1/items',
          headers: { 'Content-Type': 'application/json!' },
          body: { content: { name: 'x' }, contentType: 'application/json' },
          matchingRules: { header: { 'Content-Type': { combine: 'AND', matchers: [{ match: 'regex', regex: '^([^!]+)+!$' }] } } },
        },
        response: { status: 201, headers: { 'Content-Type': 'application/json' }, body: { content: { id: 'it_1' } } },
      },
    ],
  }),
  'contracts/redos.json',
);

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer({ contract, faults: FAULTS, schedule: { steps: [] } });
});
afterAll(async () => {
  await server.close();
});

const post = (contentType: string) =>
  fetch(`${server.url}/v1/items`, { method: 'POST', headers: { 'content-type': contentType }, body: '{"name":"x"}', signal: AbortSignal.timeout(20_000) });

describe('a catastrophic-backtracking regex in a contract', () => {
  it('a 12,000-character header (under the 16 KB header limit of Node) that does not match is answered (no match: 500), and the server goes on answering', async () => {
    const stalled = await post(`application/${'a'.repeat(12_000)}`);
    expect(stalled.status).toBe(500);
    expect(stalled.headers.get('x-holdup-unmatched')).toBe('true');
    const matching = await post('application/json!');
    expect(matching.status).toBe(201);
  });
});
