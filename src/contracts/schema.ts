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

const stringOrList = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], {
  error: 'a string or a list of strings',
});

export const headersSchema = z.record(z.string(), stringOrList, { error: 'an object of header values' });

/** V3/V4: `{ name: ['a', 'b'] }` (or a single string); V2 and some V3 writers: `'a=1&b=2'`. */
export const querySchema = z.union([z.string(), z.record(z.string(), stringOrList)], {
  error: 'a query string or an object of query parameters',
});

/** One matcher: `{ match: 'type', min: 1 }`; V2 also writes `{ regex: '…' }` without `match`. */
export const matcherSchema = z.looseObject({
  match: z.string().optional(),
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
  content: z.unknown().optional(),
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
    body: z.unknown().optional(),
    matchingRules: ruleCategoriesSchema.optional(),
  }),
  response: z.looseObject({
    status: statusSchema,
    headers: headersSchema.optional(),
    body: z.unknown().optional(),
    matchingRules: ruleCategoriesSchema.optional(),
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
    body: z.unknown().optional(),
    matchingRules: flatRulesSchema.optional(),
  }),
  response: z.looseObject({
    status: statusSchema,
    headers: headersSchema.optional(),
    body: z.unknown().optional(),
    matchingRules: flatRulesSchema.optional(),
  }),
});

const partySchema = z.looseObject({ name: z.string() });

export const pactFileSchema = z.looseObject({
  consumer: partySchema.optional(),
  provider: partySchema.optional(),
  interactions: z.array(z.unknown()),
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
      /** Interactions skipped because they are not HTTP (V4 messages). */
      skipped: number;
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
  let skipped = 0;
  file.interactions.forEach((item, index) => {
    const prefix = ['interactions', index];
    if (version === 4) {
      const type = item && typeof item === 'object' ? (item as { type?: unknown }).type : undefined;
      if (typeof type === 'string' && type !== 'Synchronous/HTTP') {
        skipped++;
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
