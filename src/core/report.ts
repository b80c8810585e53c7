import { z } from 'zod';
import { CATEGORY_IDS } from './categories.js';

/**
 * The shape of `report.json`. The JSON Schema in `docs/report.schema.json` is generated from
 * this (`npm run docs`), and reports are parsed with it when read back.
 */

const json: z.ZodType<unknown> = z.unknown();

export const TimelineEntrySchema = z.object({
  seq: z.number().int().describe('order of arrival within the execution, from 1'),
  startMs: z.number().describe('ms since the execution started when the request arrived'),
  endMs: z.number().describe('ms since the execution started when the response ended'),
  stream: z.enum(['api', 'token']),
  method: z.string(),
  path: z.string(),
  status: z.number().int().optional().describe('absent when no response was sent'),
  delivery: z.string(),
  fault: z.string().optional().describe('the fault applied to this request'),
  network: z.string().optional().describe("what Toxiproxy did to the response on its way back, e.g. 'timeout (timeout=0)'"),
  headers: z.record(z.string(), z.string()).optional(),
  highlight: z.boolean().optional(),
});

export const FindingSchema = z.object({
  code: z.string().describe('stable code, e.g. HU-RL-001'),
  check: z.string(),
  severity: z.enum(['critical', 'error', 'warning']),
  connector: z.string(),
  scenario: z.string(),
  operation: z.string(),
  message: z.string(),
  evidence: z.object({
    timeline: z.array(TimelineEntrySchema),
    omitted: z.number().int().min(1).optional().describe('requests of the execution left out of the timeline (it keeps 200 at most)'),
    outcome: z.string(),
    details: z.record(z.string(), json).optional(),
    schedule: z
      .array(
        z.object({
          on: z.enum(['api', 'token']),
          request: z.number().int(),
          fault: z.string(),
          params: z.record(z.string(), json),
          onwards: z.literal(true).optional().describe('the step also applies to every later request of its stream'),
        }),
      )
      .optional()
      .describe("the execution's fault schedule, every choice drawn from the seed: which fault on which request"),
  }),
  repro: z.string().describe('the command that replays this execution'),
});

export const CheckSummarySchema = z.object({
  id: z.string(),
  critical: z.boolean(),
  weight: z.number(),
  passed: z.boolean(),
  executions: z.number().int().describe('executions that judged this check'),
  passes: z.number().int(),
  durationMs: z
    .number()
    .optional()
    .describe('how long the executions it judged took, added up (ms); absent for a policy check, which judges the whole run at its end'),
  notExercised: z
    .string()
    .optional()
    .describe('set when no execution gave the check anything to judge: why (the reasons its executions gave, with counts)'),
  skipped: z
    .string()
    .optional()
    .describe(
      'set when the check judged some executions but not others: why it did not judge those, with counts (an overrun on a response that never came names the scenario that judges it)',
    ),
  undecided: z
    .array(z.object({ code: z.string().describe('the code a failure would have had'), reason: z.string() }))
    .optional()
    .describe("a policy check's properties the run could not decide either way (too few retries, too much timer noise): neither passed nor failed"),
});

export const CategoryStatusSchema = z
  .enum(['pass', 'fail', 'not-applicable', 'not-exercised', 'not-run'])
  .describe(
    "not-applicable: the contract or connector cannot exercise it (no write operation, no token endpoint); not-exercised: it applied, but its checks judged nothing, or a critical check of it never ran (the reason says why); not-run: not selected, or no network engine",
  );

export const CategoryReportSchema = z.object({
  id: z.enum(CATEGORY_IDS),
  weight: z.number(),
  status: CategoryStatusSchema,
  score: z.number().optional().describe('0-100; absent when not applicable, not exercised or not run'),
  capped: z.boolean().optional().describe('a critical check failed: the score is capped at 40'),
  reason: z.string().optional().describe('why the category is not applicable, not exercised or not run'),
  checks: z.array(CheckSummarySchema),
  findings: z.array(FindingSchema),
});

export const GradeSchema = z.enum(['A', 'B', 'C', 'D', 'F']);

export const ConnectorReportSchema = z.object({
  name: z.string(),
  file: z.string(),
  contract: z.string(),
  valid: z.boolean(),
  invalidReason: z.string().optional(),
  score: z.number().nullable().describe('0-100 overall; null when invalid or nothing applicable'),
  grade: GradeSchema.nullable(),
  gate: z.enum(['pass', 'fail']),
  gateReasons: z.array(z.string()),
  coverage: z
    .number()
    .nullable()
    .describe('0-100: the weight of scored categories over the weight of scored and not-exercised ones; null when invalid or nothing applies'),
  executions: z.number().int(),
  skippedInteractions: z
    .array(z.object({ index: z.number().int(), type: z.string(), description: z.string(), reason: z.string() }))
    .optional()
    .describe("interactions of the contract holdup did not replay (message and plugin interactions), each with its index in the file's interactions and why"),
  categories: z.array(CategoryReportSchema),
});

export const BaselineChangeSchema = z.object({
  connector: z.string(),
  category: z.string().optional(),
  kind: z.enum(['invalid', 'valid', 'score', 'category-status', 'category-score', 'critical-finding', 'critical-finding-gone']),
  text: z.string(),
});

export const NetworkEngineSchema = z.union([
  z.object({ kind: z.enum(['toxiproxy']), version: z.string(), source: z.string().optional() }),
  z.object({ kind: z.literal('none'), reason: z.string() }),
]);

export const RunReportSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  seed: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  holdupVersion: z.string(),
  complete: z.boolean().describe('false when the run was interrupted or the harness failed'),
  incompleteReason: z.string().optional(),
  interrupted: z
    .boolean()
    .default(false)
    .describe('true when Ctrl-C or SIGTERM stopped the run (exit code 130): the report holds what was done until then; reports written before this field existed are read as false'),
  networkEngine: NetworkEngineSchema,
  timerNoiseMs: z
    .number()
    .optional()
    .describe("how late this process's timers were while the executions ran (90th percentile of the event loop's delay, ms): the noise in every measured wait; absent on the virtual clock"),
  gate: z.object({
    passed: z.boolean(),
    judged: z
      .boolean()
      .describe('false when a selected category could not be run (no network engine, an interrupted run): the gate could not be judged'),
    reasons: z.array(z.string()).describe('why the gate failed: critical checks, thresholds, invalid connectors'),
    unjudged: z.array(z.string()).describe('why it could not be judged: categories with no network engine, a run that stopped'),
  }),
  connectors: z.array(ConnectorReportSchema),
  baseline: z
    .object({
      file: z.string().describe('the report.json this run was compared with'),
      budget: z.number().describe('points a score could drop before it counted as a regression'),
      passed: z.boolean().describe('no regression: what decides the exit code of a run with --baseline'),
      regressions: z.array(BaselineChangeSchema),
      improvements: z.array(BaselineChangeSchema),
      notes: z.array(z.string()).describe('what the comparison could not say, and why'),
    })
    .optional()
    .describe('set when the run was compared with a baseline (holdup run --baseline FILE)'),
});

export type RunReport = z.infer<typeof RunReportSchema>;
export type ConnectorReport = z.infer<typeof ConnectorReportSchema>;
export type CategoryReport = z.infer<typeof CategoryReportSchema>;
export type CheckSummary = z.infer<typeof CheckSummarySchema>;
export type Grade = z.infer<typeof GradeSchema>;
export type BaselineChange = z.infer<typeof BaselineChangeSchema>;
export type NetworkEngine = z.infer<typeof NetworkEngineSchema>;
