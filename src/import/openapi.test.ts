import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { formatError, isHoldupError } from '../core/errors.js';
import { exampleFromSchema, importOpenApi, REF_PARSER, rulesFromSchema } from './openapi.js';

const installed = vi.hoisted(() => ({ parser: true, name: '@apidevtools/json-schema-ref-parser' }));
vi.mock('../core/package.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../core/package.js')>();
  return { ...actual, isInstalled: (name: string, url: string) => (name === installed.name ? installed.parser : actual.isInstalled(name, url)) };
});

const PETSTORE = fileURLToPath(new URL('../../fixtures/import/petstore/openapi.yaml', import.meta.url));

describe('openapi import', () => {
  it('without its $ref parser installed, says which package to install (MISSING_PACKAGE, exit 2)', async () => {
    expect(REF_PARSER).toBe(installed.name);
    installed.parser = false;
    try {
      const error: unknown = await importOpenApi(PETSTORE, { shown: path.basename(PETSTORE) }).catch((e: unknown) => e);
      expect(isHoldupError(error) && formatError(error)).toBe(
        '[holdup] MISSING_PACKAGE @apidevtools/json-schema-ref-parser is not installed; holdup import openapi (it resolves the document\'s $refs) needs it\n' +
          '  next: install it beside holdup: npm install --save-dev @apidevtools/json-schema-ref-parser@15',
      );
    } finally {
      installed.parser = true;
    }
  });

  it('builds an example from a schema: allOf merged, read-only fields left out of requests and write-only ones out of responses', () => {
    const schema = {
      allOf: [
        { type: 'object', properties: { id: { type: 'integer', readOnly: true }, created: { type: 'string', format: 'date-time' } } },
        { type: 'object', properties: { secret: { type: 'string', writeOnly: true }, tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } } },
      ],
    };
    expect(exampleFromSchema(schema, 'request')).toEqual({ created: '2026-01-01T00:00:00Z', secret: 'string', tags: ['a'] });
    expect(exampleFromSchema(schema, 'response')).toEqual({ id: 1, created: '2026-01-01T00:00:00Z', tags: ['a'] });
  });

  it('writes rules from the schema’s types, not the example’s values: null allowed where the schema allows it', () => {
    const schema = {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        ratio: { type: 'number' },
        state: { type: 'string', enum: ['open', 'closed'] },
        note: { type: ['string', 'null'] },
        items: { type: 'array', minItems: 1, items: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      },
    };
    const example = { count: 3, ratio: 2, state: 'open', note: 'hi', items: [{ ok: true }] };
    expect(rulesFromSchema(schema, example)).toEqual({
      '$.count': { combine: 'AND', matchers: [{ match: 'integer' }] },
      '$.ratio': { combine: 'AND', matchers: [{ match: 'number' }] },
      '$.state': { combine: 'AND', matchers: [{ match: 'regex', regex: '^(?:open|closed)$' }] },
      '$.note': { combine: 'OR', matchers: [{ match: 'null' }, { match: 'type' }] },
      '$.items': { combine: 'AND', matchers: [{ match: 'type', min: 1 }] },
      '$.items[*].ok': { combine: 'AND', matchers: [{ match: 'boolean' }] },
    });
  });
});
