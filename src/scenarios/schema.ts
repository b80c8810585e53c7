import { z } from 'zod';
import { CATEGORY_IDS } from '../core/index.js';

const requestCount = z.union([
  z.number().int().min(1).max(1000),
  z.object({ min: z.number().int().min(1), max: z.number().int().min(1) }).refine((r) => r.max >= r.min, {
    message: 'max must be at least min',
  }),
]);

export const ScenarioFaultSchema = z
  .object({
    fault: z.string().describe('a fault id, e.g. rate-limit/retry-after-seconds'),
    on: z.enum(['api', 'token']).optional().describe("which request stream; the fault's own stream by default"),
    requests: z
      .union([
        z.number().int().min(1),
        z.object({ from: z.number().int().min(1), count: z.union([requestCount, z.literal('all')]) }).strict(),
      ])
      .default(1)
      .describe(
        "which requests of the stream: the n-th (from 1), or `count` of them from `from` (`'all'`: every one from `from` on); 1 by default",
      ),
    params: z.record(z.string(), z.unknown()).default({}).describe('fixed fault parameters; the rest are drawn from the seed'),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'an id of the form <category-or-group>/<name> in lower case'),
    category: z.enum(CATEGORY_IDS),
    description: z.string().min(1),
    operations: z
      .union([z.enum(['all', 'read', 'write']), z.array(z.string()).min(1)])
      .default('all')
      .describe("which operations it runs on: 'all', 'read', 'write' or a list of names; 'all' by default"),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(1)
      .describe('how many invocations of the operation run at once on one client; 1 by default'),
    requires: z
      .array(z.enum(['token-endpoint', 'bearer-token', 'pagination', 'json-body']))
      .default([])
      .describe(
        "what the scenario needs to apply: 'token-endpoint' (the contract has an OAuth2 token endpoint), 'bearer-token' (the operation's control run sent API requests with a token that endpoint issued: not a static key), 'pagination' (the operation's control run fetched more than one page), 'json-body' (its control run got a JSON body); nothing by default",
      ),
    faults: z.array(ScenarioFaultSchema).min(1),
    checks: z.array(z.string()).min(1).describe('ids of the checks that judge every execution'),
    repro: z
      .object({
        connector: z.string().min(1).describe('the connector the failure was found on'),
        mode: z.enum(['network', 'in-process']).default('in-process').describe('how it was found; in-process by default'),
        seed: z.number().int().min(0).describe('the fuzz seed'),
        path: z.string().describe("fast-check's path to the shrunk failure"),
        found: z.string().describe('what failed when it was found'),
      })
      .strict()
      .optional()
      .describe('set on files `holdup fuzz` writes to scenarios/repro/: `holdup repro FILE` replays them'),
  })
  .strict();

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

/** A scenario and the file it came from. */
export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  builtin: boolean;
}
