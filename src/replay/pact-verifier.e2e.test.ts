import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Verifier as PactVerifier, setLogLevel } from '@pact-foundation/pact-core';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../contracts/load.js';
import type { Contract } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { startReplayServer } from './index.js';

// holdup's replay must be Pact-faithful: Pact's own provider Verifier (the pact-reference core
// shipped in @pact-foundation/pact) replays every contract in contracts/ against the replay
// server and checks each response against the contract's matching rules.

const root = fileURLToPath(new URL('../../', import.meta.url));
const contractFiles = (await readdir(path.join(root, 'contracts'))).filter((f) => f.endsWith('.json')).sort();

const STATES_PATH = '/_pact/provider-states';

/**
 * Runs the pact-reference verifier (the native core inside @pact-foundation/pact) directly, with
 * provider states set through the replay server's state endpoint. pact-js's `Verifier` class is
 * not used: its in-process proxy re-encodes form-urlencoded request bodies as JSON without fixing
 * Content-Length, so Node rejects the token requests with 400 before any provider sees them.
 */
async function verify(file: string, contract: Contract): Promise<unknown> {
  const server = await startReplayServer({ contract, faults: FAULTS, providerStatesPath: STATES_PATH });
  try {
    setLogLevel('error');
    return await new PactVerifier({
      provider: contract.provider,
      providerBaseUrl: server.url,
      pactUrls: [file],
      providerStatesSetupUrl: `${server.url}${STATES_PATH}`,
      providerStatesSetupTeardown: true,
      logLevel: 'error',
    }).verify();
  } finally {
    await server.close();
  }
}

describe("Pact's own Verifier against the replay server", () => {
  it.each(contractFiles)('verifies every interaction of contracts/%s', async (name) => {
    const file = path.join(root, 'contracts', name);
    const contract = await loadContract(file, `contracts/${name}`);
    expect(contract.interactions.length).toBeGreaterThan(0);
    const result = JSON.stringify(await verify(file, contract));
    // every interaction was verified, not skipped
    for (const interaction of contract.interactions) expect(result).toContain(interaction.description);
  }, 90_000);

  it('fails when the replay server serves something the contract does not allow', async () => {
    const name = contractFiles[0] as string;
    const file = path.join(root, 'contracts', name);
    const contract = await loadContract(file, `contracts/${name}`);
    // serve an integer field as a string: a type the contract's rules refuse
    const tampered = structuredClone(contract);
    let changed = 0;
    for (const interaction of tampered.interactions) {
      const body = interaction.response.body?.json;
      if (body && typeof body === 'object' && !Array.isArray(body) && typeof body['amount_due'] === 'number') {
        body['amount_due'] = String(body['amount_due']);
        changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
    await expect(verify(file, tampered)).rejects.toThrow();
  }, 90_000);
});
