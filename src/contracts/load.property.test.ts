/**
 * Property test of the contract loader and what consumes a loaded contract: generated Pact
 * files — valid ones, and ones malformed the ways files in the wild are (wrong types, deep
 * nesting, huge strings, odd Unicode, regexes that backtrack or do not compile, header names
 * that are not tokens, message and HTTP interactions mixed) — either load, and then replay and
 * diff without an exception and with responses Node can send, or are refused with a coded error.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract, HttpRequestData } from '../core/index.js';
import { loadsOrRefuses, PROPERTY_TIMEOUT_MS, newOutcome } from '../core/test-helpers.js';
import { FAULTS } from '../faults/index.js';
import { createReplayHandler } from '../replay/handler.js';
import { diffContracts } from './diff.js';
import { parseContract } from './load.js';
import { pactText } from './test-helpers.js';

const CASES = 400;

/** A request shaped like the interaction's, with a long value for each header (a backtracking regex would stall on it). */
function requestFor(interaction: Contract['interactions'][number]): HttpRequestData {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(interaction.request.headers)) headers[name] = `${values.join(', ')}${'a'.repeat(20_000)}`;
  const body = interaction.request.body;
  return {
    method: interaction.request.method,
    path: interaction.request.path,
    query: interaction.request.query,
    headers,
    body: body?.text ?? (body?.json === undefined ? '' : JSON.stringify(body.json)),
  };
}

/** What the replay server will hand to Node: a status and headers Node sends, a string body. */
function expectSendable(response: { status: number; headers: Record<string, string>; body: string }): void {
  expect(Number.isInteger(response.status) && response.status >= 100 && response.status <= 999).toBe(true);
  for (const [name, value] of Object.entries(response.headers)) {
    expect(() => validateHeaderName(name)).not.toThrow();
    expect(() => validateHeaderValue(name, value)).not.toThrow();
  }
  expect(typeof response.body).toBe('string');
}

describe(`generated Pact files (${CASES} cases): each loads, replays and diffs, or is refused with a coded error`, () => {
  it('never crashes, hangs or answers what Node cannot send', async () => {
    const outcome = newOutcome();
    let previous: Contract | undefined;
    await fc.assert(
      fc.asyncProperty(pactText, async (text) => {
        await loadsOrRefuses(outcome, () => {
          const contract = parseContract(text, 'contracts/generated.json');
          const handler = createReplayHandler({ contract, faults: FAULTS, label: 'p' });
          for (const item of contract.interactions) {
            const { response } = handler.handle(requestFor(item), 0, Date.UTC(2026, 0, 1));
            expectSendable(response);
          }
          if (previous) diffContracts(previous, contract);
          previous = contract;
        });
      }),
      { numRuns: CASES, seed: 13 },
    );
    // the generator reaches both sides of the property, and refusals of several kinds
    expect(outcome.loaded).toBeGreaterThan(CASES / 20);
    expect(outcome.refused).toBeGreaterThan(CASES / 4);
    expect([...outcome.codes].sort()).toEqual(['CONTRACT_JSON', 'CONTRACT_SCHEMA']);
  }, PROPERTY_TIMEOUT_MS);
});
