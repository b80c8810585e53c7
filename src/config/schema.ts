import { z } from 'zod';
import { CATEGORY_IDS } from '../core/index.js';

/** `holdup.config.ts` (or the `holdup` key of package.json). Paths are relative to the config file's folder. */
export const ConfigSchema = z
  .object({
    connectors: z
      .array(z.string().min(1))
      .min(1)
      .describe("globs of connector files, relative to the config file's folder, e.g. 'connectors/*.connector.ts'"),
    scenarios: z
      .array(z.string().min(1))
      .default([])
      .describe('globs of your own scenario files; none by default (the built-in library is always loaded unless builtinScenarios is false)'),
    builtinScenarios: z.boolean().default(true).describe("load holdup's built-in scenario library; true by default"),
    reportsDir: z.string().min(1).default('reports').describe("where run reports are written; 'reports' by default"),
    reporters: z
      .array(z.string())
      .default(['console', 'json', 'junit', 'markdown', 'html'])
      .describe('the reporters a run uses, by name (docs/cli.md lists them all, with what each makes); console, json, junit, markdown and html by default'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(16)
      .describe('executions at once, across all connectors, each with its own replay server (and proxy); 16 by default'),
    networkEngine: z
      .enum(['auto', 'url', 'process', 'container', 'none'])
      .default('auto')
      .describe(
        "where Toxiproxy comes from: 'auto' tries TOXIPROXY_URL, a toxiproxy-server binary, go install, then a container; 'none' skips network scenarios on purpose; 'auto' by default",
      ),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional()
      .describe('the run seed; a random one (printed and written to the report) by default'),
    retryBudget: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(2)
      .describe(
        'retries a connector is asked to make to ride out a fault (a connector may set its own): `recovers` is judged only on faults that fail at most this many requests in a row; past it, ending loudly and in time is correct; 2 by default',
      ),
    onUnhandledRequest: z
      .enum(['error', 'warn', 'bypass'])
      .default('error')
      .describe(
        "what a request that matches no interaction during a fault run does: 'error' reports it and fails the gate, 'warn' reports it as a warning, 'bypass' says nothing; 'error' by default",
      ),
    thresholds: z
      .object({
        overall: z.number().min(0).max(100).optional().describe('the gate fails when a connector scores below this'),
        categories: z.partialRecord(z.enum(CATEGORY_IDS), z.number().min(0).max(100)).optional(),
      })
      .strict()
      .optional()
      .describe('minimum scores; none by default (only critical checks gate)'),
  })
  .strict();

export type UserConfig = z.input<typeof ConfigSchema>;
export type Config = z.output<typeof ConfigSchema>;

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { message: 'expected a function' });

/** What `defineConnector` must be given; checked when a connector file is loaded. */
export const ConnectorDefinitionSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][\w.-]*$/, 'expected a name of letters, digits, ".", "-" and "_"'),
  contract: z.string().min(1),
  credentials: z.record(z.string(), z.unknown()).optional(),
  create: fn,
  operations: z
    .record(z.string(), z.object({ kind: z.enum(['read', 'write']), run: fn }))
    .refine((ops) => Object.keys(ops).length > 0, { message: 'expected at least one operation' }),
  deadlineMs: z.number().int().min(1).max(600_000).optional(),
  requestTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  retryBudget: z.number().int().min(0).max(100).optional(),
  normalize: fn.optional(),
});

/** What `defineConnector` must be given for a connector in another language (docs/command-connectors.md). */
export const CommandConnectorSchema = z
  .object({
    name: ConnectorDefinitionSchema.shape.name,
    contract: ConnectorDefinitionSchema.shape.contract,
    credentials: ConnectorDefinitionSchema.shape.credentials,
    command: z
      .object({
        run: z
          .array(z.string().min(1, 'a non-empty program or argument').refine((part) => !part.includes('\0'), 'expected no NUL character'))
          .min(1, "the program and its arguments, e.g. ['python3', 'connector.py']")
          .max(1_000),
        cwd: z.string().min(1).optional(),
        env: z.record(z.string().regex(/^[^=\0]+$/, 'a variable name (no = in it)'), z.string()).optional(),
      })
      .strict(),
    create: z.undefined({ message: 'no create: holdup starts the command for each execution' }).optional(),
    operations: z
      .record(
        z.string(),
        z
          .object({
            kind: z.enum(['read', 'write']),
            input: z.json().optional(),
            run: z.undefined({ message: "no run: a command connector's operation is called over the protocol" }).optional(),
          })
          .strict(),
      )
      .refine((ops) => Object.keys(ops).length > 0, { message: 'expected at least one operation' }),
    deadlineMs: ConnectorDefinitionSchema.shape.deadlineMs,
    requestTimeoutMs: ConnectorDefinitionSchema.shape.requestTimeoutMs,
    retryBudget: ConnectorDefinitionSchema.shape.retryBudget,
    normalize: ConnectorDefinitionSchema.shape.normalize,
  })
  .strict();
