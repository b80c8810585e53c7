/**
 * The lookup the replay server runs on every request. Interactions are indexed by method and
 * exact path; those whose path has a matching rule (a regex) are tried after the exact ones.
 * Only a request that matches nothing is compared with every interaction, to name the
 * closest one (the near miss).
 */
import { matchRequest, type RequestMatchOptions } from '../contracts/matching.js';
import { decodePath } from '../contracts/media.js';
import type { Interaction } from '../core/contract.js';
import type { Contract } from '../core/contract.js';
import type { HttpRequestData } from '../core/http.js';
import type { Mismatch, NearMiss } from '../core/observation.js';

export type MatchResult = { interaction: Interaction } | { interaction: undefined; nearMiss: NearMiss | undefined };

export interface InteractionMatcher {
  /** `options`: what the server accepts beyond the contract (its own bearer tokens). */
  match(request: HttpRequestData, activeStates?: readonly string[], options?: RequestMatchOptions): MatchResult;
}

/** How much a differing part counts when looking for the closest interaction. */
const PART_WEIGHT: Record<Mismatch['part'], number> = {
  method: 1000,
  path: 1000,
  query: 10,
  header: 6,
  body: 4,
  state: 2,
  status: 1,
};

const PART_ORDER: Record<Mismatch['part'], number> = { method: 0, path: 1, query: 2, header: 3, body: 4, state: 5, status: 6 };

function mismatchScore(mismatches: readonly Mismatch[]): number {
  let score = 0;
  for (const m of mismatches) score += PART_WEIGHT[m.part];
  return score;
}

/** 0: every provider state of the interaction is active; 1: it has none; 2: one of them is not active. */
function stateRank(interaction: Interaction, active: readonly string[]): number {
  const states = interaction.providerStates;
  if (states.length === 0) return 1;
  return states.every((s) => active.includes(s.name)) ? 0 : 2;
}

export function createMatcher(contract: Contract): InteractionMatcher {
  const exact = new Map<string, Interaction[]>();
  const patterned = new Map<string, Interaction[]>();
  for (const interaction of contract.interactions) {
    const method = interaction.request.method.toUpperCase();
    if (interaction.request.rules.path) {
      const list = patterned.get(method) ?? [];
      list.push(interaction);
      patterned.set(method, list);
    } else {
      const key = `${method} ${decodePath(interaction.request.path)}`;
      const list = exact.get(key) ?? [];
      list.push(interaction);
      exact.set(key, list);
    }
  }

  function nearMiss(request: HttpRequestData, options: RequestMatchOptions): NearMiss | undefined {
    let best: { interaction: Interaction; mismatches: Mismatch[]; score: number } | undefined;
    for (const interaction of contract.interactions) {
      const mismatches = matchRequest(interaction, request, options);
      const score = mismatchScore(mismatches);
      if (!best || score < best.score) best = { interaction, mismatches, score };
    }
    if (!best) return undefined;
    const ordered = best.mismatches
      .map((m, i) => ({ m, i }))
      .sort((a, b) => PART_ORDER[a.m.part] - PART_ORDER[b.m.part] || a.i - b.i)
      .map(({ m }) => m);
    return { interaction: { index: best.interaction.index, description: best.interaction.description }, mismatches: ordered };
  }

  return {
    match(request, activeStates = [], options = {}) {
      const method = request.method.toUpperCase();
      const candidates = exact.get(`${method} ${request.path}`);
      const preferStates = activeStates.length > 0;
      let chosen: Interaction | undefined;
      let chosenRank = 3;
      const consider = (list: readonly Interaction[] | undefined): boolean => {
        if (!list) return false;
        for (const interaction of list) {
          if (!preferStates && chosen) return true;
          const rank = preferStates ? stateRank(interaction, activeStates) : 0;
          if (rank >= chosenRank) continue;
          if (matchRequest(interaction, request, options).length > 0) continue;
          chosen = interaction;
          chosenRank = rank;
          if (rank === 0) return true;
        }
        return chosen !== undefined && !preferStates;
      };
      if (!consider(candidates)) consider(patterned.get(method));
      if (chosen) return { interaction: chosen };
      return { interaction: undefined, nearMiss: nearMiss(request, options) };
    },
  };
}
