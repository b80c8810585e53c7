/**
 * zod schemas for Pact files as they are found in the wild: V4 (`interactions[].type`),
 * V3 (matching rules by category) and V2 (flat `$.body.x` matching rules). Liberal where
 * real files vary (header and query values as a string or a list, V4 `encoded` flags),
 * strict where a file would be unusable (no method, no path, no status).
 *
 * Error messages given here are the "expected …" phrase of an issue; `load.ts` turns an
 * issue into `expected <phrase> for <field>, found <value>`.
 */
import { z } from 'zod';
import type { SkippedInteraction } from '../core/contract.js';
import { clip } from '../core/errors.js';
import { dateFormatOf, dateFormatProblem } from './matching.js';
import { regexProblem } from './regex.js';

/** Limits of what holdup replays: far beyond real contracts, and what keeps a hostile file from exhausting the replay. */
export const MAX_INTERACTIONS = 10_000;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const stringOrList = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], {
  error: 'a string or a list of strings',
});

/** RFC 9110 `token`: what Node (and every HTTP peer) accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node accepts in a header value: no control characters but tab, nothing past U+00FF. */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const headerValues = stringOrList.refine(
  (value) => (Array.isArray(value) ? value : [value]).every((item) => typeof item !== 'string' || HEADER_VALUE.test(item)),
  { error: 'header values without control characters (line breaks included) or characters past U+00FF' },
);

export const headersSchema = z.record(z.string().regex(HEADER_NAME, { error: "a header name: letters, digits and !#$%&'*+-.^_`|~ only" }), headerValues, {
  error: 'an object of header values',
});

/** A body: any JSON value (or a string), of at most MAX_BODY_BYTES once written out. */
const bodyContentSchema = z.unknown().refine((content) => content === undefined || bodySize(content) <= MAX_BODY_BYTES, {
  error: `a body of at most ${MAX_BODY_BYTES / (1024 * 1024)} MB`,
});

function bodySize(content: unknown): number {
  if (typeof content === 'string') return content.length;
  return JSON.stringify(content)?.length ?? 0;
}

/** V3/V4: `{ name: ['a', 'b'] }` (or a single string); V2 and some V3 writers: `'a=1&b=2'`. */
export const querySchema = z.union([z.string(), z.record(z.string(), stringOrList)], {
  error: 'a query string or an object of query parameters',
});

const REGEX_HINT =
  "fix the pattern: Pact regexes use RE2's (Rust's) syntax, which has no look-around and no back-references, so that matching never stalls (docs/contracts.md)";

const DATE_MATCHERS = new Set(['date', 'time', 'timestamp', 'datetime']);

/**
 * One matcher: `{ match: 'type', min: 1 }`; V2 also writes `{ regex: '…' }` without `match`.
 * A regex or date format is compiled here, so a contract holding one that cannot run is
 * refused with its place in the file instead of silently never matching.
 */
export const matcherSchema = z
  .looseObject({
    match: z.string().optional(),
  })
  .superRefine((matcher, ctx) => {
    const options = matcher as Record<string, unknown>;
    if ('regex' in options || matcher.match === 'regex') {
      const regex = options['regex'];
      if (typeof regex !== 'string') {
        ctx.addIssue({ code: 'custom', path: ['regex'], message: 'a string' });
      } else {
        const problem = regexProblem(regex);
        if (problem !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['regex'], params: { sentence: true, hint: REGEX_HINT }, message: `is not valid in Pact's regex syntax (RE2's): ${clip(problem, 80)}` });
        }
      }
    }
    if (matcher.match !== undefined && DATE_MATCHERS.has(matcher.match)) {
      const format = dateFormatOf({ ...options, match: matcher.match });
      const key = ['format', matcher.match, 'date', 'time', 'timestamp', 'datetime'].find((name) => options[name] === format);
      const problem = format === undefined ? undefined : dateFormatProblem(format);
      if (problem !== undefined && key !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], params: { sentence: true }, message: `cannot be matched: ${clip(problem, 80)}` });
      }
    }
  });

export const ruleListSchema = z.looseObject({
  combine: z.enum(['AND', 'OR'], { error: '"AND" or "OR"' }).optional(),
  matchers: z.array(matcherSchema),
});

/** `path` and `status` hold one rule list; some writers key it by an empty name. */
const wholeValueRulesSchema = z.union([ruleListSchema, z.record(z.string(), ruleListSchema)], {
  error: 'a rule list ({ combine, matchers })',
});

export const ruleCategoriesSchema = z.looseObject({
  body: z.record(z.string(), ruleListSchema).optional(),
  header: z.record(z.string(), ruleListSchema).optional(),
  headers: z.record(z.string(), ruleListSchema).optional(),
  query: z.record(z.string(), ruleListSchema).optional(),
  path: wholeValueRulesSchema.optional(),
  status: wholeValueRulesSchema.optional(),
});

/** V2: `{ '$.body.id': { match: 'type' }, '$.headers.Content-Type': { regex: '…' } }`. */
export const flatRulesSchema = z.record(z.string(), matcherSchema);

/** One generator: `{ type: 'RandomInt', min: 1, max: 9 }`. */
export const generatorSchema = z.looseObject({ type: z.string() });

/** Generators by category: `body` and `header` hold one per path or name; `status` and `path` one for the whole value. */
export const generatorsSchema = z.looseObject({
  body: z.record(z.string(), generatorSchema).optional(),
  header: z.record(z.string(), generatorSchema).optional(),
});

export const providerStateSchema = z.looseObject({
  name: z.string(),
  params: z.record(z.string(), z.unknown()).nullish(),
});

const methodSchema = z.string().min(1, { error: 'a non-empty HTTP method' });
const pathSchema = z.string();
const statusSchema = z
  .number()
  .int({ error: 'an HTTP status between 100 and 599' })
  .min(100, { error: 'an HTTP status between 100 and 599' })
  .max(599, { error: 'an HTTP status between 100 and 599' });

/** V4 body: `{ content, contentType, encoded }`; `encoded` is false, "base64" or "json". */
export const v4BodySchema = z.looseObject({
  content: bodyContentSchema.optional(),
  contentType: z.string().nullish(),
  encoded: z.union([z.boolean(), z.string()], { error: 'false, "base64" or "json"' }).nullish(),
});

export const v4HttpInteractionSchema = z.looseObject({
  type: z.literal('Synchronous/HTTP'),
  description: z.string(),
  key: z.string().optional(),
  pending: z.boolean().optional(),
  providerStates: z.array(providerStateSchema).optional(),
  request: z.looseObject({
    method: methodSchema,
    path: pathSchema,
    query: querySchema.optional(),
    headers: headersSchema.optional(),
    body: v4BodySchema.optional(),
    matchingRules: ruleCategoriesSchema.optional(),
  }),
  response: z.looseObject({
    status: statusSchema,
    headers: headersSchema.optional(),
    body: v4BodySchema.optional(),
    matchingRules: ruleCategoriesSchema.optional(),
    generators: generatorsSchema.optional(),
  }),
});

export const v3InteractionSchema = z.looseObject({
  description: z.string(),
  providerStates: z.array(providerStateSchema).optional(),
  providerState: z.string().optional(),
  request: z.looseObject({
    method: methodSchema,
    path: pathSchema,
    query: querySchema.optional(),
    headers: headersSchema.optional(),
    body: bodyContentSchema.optional(),
    matchingRules: ruleCategoriesSchema.optional(),
  }),
  response: z.looseObject({
    status: statusSchema,
    headers: headersSchema.optional(),
    body: bodyContentSchema.optional(),
    matchingRules: ruleCategoriesSchema.optional(),
    generators: generatorsSchema.optional(),
  }),
});

export const v2InteractionSchema = z.looseObject({
  description: z.string(),
  providerState: z.string().nullish(),
  request: z.looseObject({
    method: methodSchema,
    path: pathSchema,
    query: querySchema.optional(),
    headers: headersSchema.optional(),
    body: bodyContentSchema.optional(),
    matchingRules: flatRulesSchema.optional(),
  }),
  response: z.looseObject({
    status: statusSchema,
    headers: headersSchema.optional(),
    body: bodyContentSchema.optional(),
    matchingRules: flatRulesSchema.optional(),
  }),
});

const partySchema = z.looseObject({ name: z.string() });

export const pactFileSchema = z.looseObject({
  consumer: partySchema.optional(),
  provider: partySchema.optional(),
  interactions: z.array(z.unknown()).max(MAX_INTERACTIONS, { error: `at most ${MAX_INTERACTIONS.toLocaleString('en-US')} interactions` }),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export type PactFile = z.infer<typeof pactFileSchema>;
export type V4HttpInteraction = z.infer<typeof v4HttpInteractionSchema>;
export type V3Interaction = z.infer<typeof v3InteractionSchema>;
export type V2Interaction = z.infer<typeof v2InteractionSchema>;
export type RawRuleList = z.infer<typeof ruleListSchema>;
export type RawRuleCategories = z.infer<typeof ruleCategoriesSchema>;
export type RawMatcher = z.infer<typeof matcherSchema>;

export type PactMajor = 2 | 3 | 4;

/** One problem with a file: where (segments from the file's root) and zod's issue. */
export interface PactIssue {
  path: (string | number)[];
  issue: z.core.$ZodIssue;
}

export type ValidatedInteraction =
  | { version: 4; index: number; data: V4HttpInteraction }
  | { version: 3; index: number; data: V3Interaction }
  | { version: 2; index: number; data: V2Interaction };

export type ValidatedPact =
  | {
      ok: true;
      version: PactMajor;
      specVersion: string;
      file: PactFile;
      interactions: ValidatedInteraction[];
      /** Interactions holdup does not replay (V4 messages, plugin interactions), in file order. */
      skipped: SkippedInteraction[];
    }
  | { ok: false; issues: PactIssue[] };

function segments(path: readonly PropertyKey[]): (string | number)[] {
  return path.filter((s): s is string | number => typeof s !== 'symbol');
}

/** `pactSpecification.version`, `pact-specification.version` (V1/V2 writers) or `pactSpecificationVersion`. */
function declaredSpecVersion(metadata: Record<string, unknown> | undefined): string | undefined {
  if (!metadata) return undefined;
  for (const key of ['pactSpecification', 'pact-specification', 'pactSpecificationVersion']) {
    const value = metadata[key];
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && typeof (value as { version?: unknown }).version === 'string') {
      return (value as { version: string }).version;
    }
  }
  return undefined;
}

function inferMajor(interactions: readonly unknown[]): PactMajor {
  for (const item of interactions) {
    if (!item || typeof item !== 'object') continue;
    if ('type' in item) return 4;
    for (const side of ['request', 'response'] as const) {
      const part = (item as Record<string, unknown>)[side];
      const rules = part && typeof part === 'object' ? (part as Record<string, unknown>).matchingRules : undefined;
      if (rules && typeof rules === 'object' && Object.keys(rules).some((k) => k.startsWith('$'))) return 2;
    }
  }
  return 3;
}

/** Validates a parsed Pact document, reporting every issue with its path from the file's root. */
export function validatePact(raw: unknown): ValidatedPact {
  const base = pactFileSchema.safeParse(raw);
  if (!base.success) {
    return { ok: false, issues: base.error.issues.map((issue) => ({ path: segments(issue.path), issue })) };
  }
  const file = base.data;
  const declared = declaredSpecVersion(file.metadata);
  const declaredMajor = declared === undefined ? undefined : Number.parseInt(declared, 10);
  const version: PactMajor =
    declaredMajor === undefined || Number.isNaN(declaredMajor)
      ? inferMajor(file.interactions)
      : declaredMajor >= 4
        ? 4
        : declaredMajor === 3
          ? 3
          : 2;
  const specVersion = declared ?? `${version}.0.0`;

  const issues: PactIssue[] = [];
  const interactions: ValidatedInteraction[] = [];
  const skipped: SkippedInteraction[] = [];
  file.interactions.forEach((item, index) => {
    const prefix = ['interactions', index];
    if (version === 4) {
      const fields = item && typeof item === 'object' ? (item as { type?: unknown; description?: unknown; pluginConfiguration?: unknown }) : {};
      const type = fields.type;
      const description = typeof fields.description === 'string' ? fields.description.slice(0, 200) : '';
      if (typeof type === 'string' && type !== 'Synchronous/HTTP') {
        skipped.push({ index, type: type.slice(0, 60), description, reason: 'holdup replays HTTP interactions only' });
        return;
      }
      const plugins = fields.pluginConfiguration;
      if (plugins && typeof plugins === 'object' && Object.keys(plugins).length > 0) {
        const names = Object.keys(plugins).slice(0, 3).join(', ');
        skipped.push({ index, type: 'Synchronous/HTTP', description, reason: `its body is handled by a Pact plugin (${names.slice(0, 80)}), which holdup does not run` });
        return;
      }
      const parsed = v4HttpInteractionSchema.safeParse(item);
      if (parsed.success) interactions.push({ version: 4, index, data: parsed.data });
      else for (const issue of parsed.error.issues) issues.push({ path: [...prefix, ...segments(issue.path)], issue });
    } else if (version === 3) {
      const parsed = v3InteractionSchema.safeParse(item);
      if (parsed.success) interactions.push({ version: 3, index, data: parsed.data });
      else for (const issue of parsed.error.issues) issues.push({ path: [...prefix, ...segments(issue.path)], issue });
    } else {
      const parsed = v2InteractionSchema.safeParse(item);
      if (parsed.success) interactions.push({ version: 2, index, data: parsed.data });
      else for (const issue of parsed.error.issues) issues.push({ path: [...prefix, ...segments(issue.path)], issue });
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, version, specVersion, file, interactions, skipped };
}
