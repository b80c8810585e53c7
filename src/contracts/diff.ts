/**
 * What changed between two contracts, and whether each change breaks a client written against
 * the old one. Pure: `Contract` in, `ContractChange[]` out; the words are in src/report/diff.ts.
 *
 * Bodies are compared as shapes: every value is folded into a tree of the JSON types seen at
 * each place, all elements of an array merged into one `[*]` item (as Pact's matching rules
 * write it), so `$.data[*].amount_due` is one place whatever the number of elements.
 */
import type { Contract, ContractBody, Interaction, RuleList } from '../core/contract.js';
import { ENUM_WORD } from './infer.js';
import type { Json } from '../core/json.js';
import { EVERY, formatJsonPath, isJsonObject, type PathSegment } from '../core/json-path.js';
import { mediaType } from './media.js';
import { ruleFor } from './matching.js';

export type ChangeKind =
  /** in NEW only; non-breaking */
  | 'interaction-added'
  /** in OLD only; breaking: old clients still call it */
  | 'interaction-removed'
  /** `before`/`after`: the status codes; breaking */
  | 'status-changed'
  /** `after`: the value; non-breaking */
  | 'header-added'
  /** `before`: the value; breaking when it was Content-Type or had a matching rule */
  | 'header-removed'
  /** `before`/`after`: the values; breaking when the media type of Content-Type changed */
  | 'header-changed'
  /** `after`: the JSON type; non-breaking in a response, breaking in a request */
  | 'field-added'
  /** `before`: the JSON type; breaking in a response, non-breaking in a request */
  | 'field-removed'
  /** `renamedTo`: the new path; `before`/`after`: the JSON types; breaking (a guess, see `renames`) */
  | 'field-renamed'
  /** `before`/`after`: the JSON types (`number`, `string|null`, `absent`, `text`); see `typeChangeBreaks` */
  | 'type-changed'
  /** `after`: the new string values; non-breaking (tolerant readers accept unknown enum values) */
  | 'enum-widened'
  /** `after`: the values; breaking: old clients do not send it */
  | 'query-added'
  /** `before`: the values; non-breaking */
  | 'query-removed';

export interface ContractChange {
  kind: ChangeKind;
  breaking: boolean;
  interaction: { description: string; method: string; path: string };
  part: 'request' | 'response';
  /** A JSON path (`$.data[*].amount_due`), a header or query parameter name, `status`, or `` for a whole interaction. */
  location: string;
  before?: Json;
  after?: Json;
  renamedTo?: string;
}

// ---------------------------------------------------------------------------------------------
// Shapes

/** `absent` is a body that is not there; `text` a body that is not JSON. */
type ShapeType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'absent' | 'text';

interface Shape {
  types: Set<ShapeType>;
  /** Keys in the order first seen. */
  fields: Map<string, Shape>;
  /** The merged elements of the arrays seen here. */
  item?: Shape;
  strings: Set<string>;
  /** The first scalar seen, to recognise a renamed field by its value. */
  sample?: Json;
}

function emptyShape(): Shape {
  return { types: new Set(), fields: new Map(), strings: new Set() };
}

function typeOf(value: Json): ShapeType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'object' | 'string' | 'number' | 'boolean';
}

function addToShape(shape: Shape, value: Json): Shape {
  shape.types.add(typeOf(value));
  if (Array.isArray(value)) {
    for (const element of value) shape.item = addToShape(shape.item ?? emptyShape(), element);
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) shape.fields.set(key, addToShape(shape.fields.get(key) ?? emptyShape(), child));
  } else {
    if (typeof value === 'string') shape.strings.add(value);
    if (shape.sample === undefined) shape.sample = value;
  }
  return shape;
}

function bodyShape(body: ContractBody | undefined): Shape {
  const shape = emptyShape();
  if (body?.json !== undefined) return addToShape(shape, body.json);
  shape.types.add(body?.text !== undefined ? 'text' : 'absent');
  return shape;
}

/** `number`, `string|null`. */
function typeLabel(shape: Shape): string {
  return [...shape.types].sort().join('|');
}

function sameTypes(a: Shape, b: Shape): boolean {
  return a.types.size === b.types.size && [...a.types].every((type) => b.types.has(type));
}

// ---------------------------------------------------------------------------------------------
// Pairing

function methodPath(interaction: Interaction): string {
  return `${interaction.request.method.toUpperCase()} ${interaction.request.path}`;
}

function requestKey(interaction: Interaction, withStates = true): string {
  const query = Object.keys(interaction.request.query).sort().join('&');
  const states = withStates ? interaction.providerStates.map((state) => state.name).sort().join('\u0000') : '';
  return `${methodPath(interaction)}?${query}\u0001${states}`;
}

/** Takes, from `pool`, the first interaction `matches` accepts. */
function take(pool: Interaction[], matches: (candidate: Interaction) => boolean): Interaction | undefined {
  const at = pool.findIndex(matches);
  return at < 0 ? undefined : pool.splice(at, 1)[0];
}

/**
 * Pairs each OLD interaction with the NEW interaction that stands for it: first one with the
 * same description and the same method and path; then, for those left, one with the same
 * method, path, query parameter names and provider states; then the same request shape where
 * one side has no provider states (a recording has none). A description changed on its own
 * still pairs; a changed method or path never does, so it shows as one removed and one added.
 */
function pairInteractions(old: readonly Interaction[], next: readonly Interaction[]) {
  const pool = [...next];
  const pairs = new Map<Interaction, Interaction>();
  for (const before of old) {
    const after = take(pool, (c) => c.description === before.description && methodPath(c) === methodPath(before));
    if (after) pairs.set(before, after);
  }
  for (const before of old) {
    if (pairs.has(before)) continue;
    const after = take(pool, (c) => requestKey(c) === requestKey(before));
    if (after) pairs.set(before, after);
  }
  // a recording has no provider states: the same request shape pairs with one that has none,
  // the same status first (a recorded 200 stands for the 200 of a state, not the 404 of another)
  const stateless = (i: Interaction) => i.providerStates.length === 0;
  const sameShape = (a: Interaction, b: Interaction) => (stateless(a) || stateless(b)) && requestKey(a, false) === requestKey(b, false);
  for (const sameStatus of [true, false]) {
    for (const before of old) {
      if (pairs.has(before)) continue;
      const after = take(pool, (c) => sameShape(c, before) && (!sameStatus || c.response.status === before.response.status));
      if (after) pairs.set(before, after);
    }
  }
  return { pairs, added: pool };
}

// ---------------------------------------------------------------------------------------------
// Comparing one pair

type Draft = Omit<ContractChange, 'interaction' | 'part'>;

interface Side {
  part: 'request' | 'response';
  /** OLD's string values at each enum-like place, over its interactions with the same method and path. */
  enums?: Map<string, Set<string>>;
  /** Enum values already reported for this method and path, so each is said once. */
  reported?: Set<string>;
  rules: Record<string, RuleList>;
}

/** Holds an enum: its rule is `equality`, or no `type` or `regex` rule covers it. */
function enumLike(rules: Record<string, RuleList>, segments: readonly PathSegment[]): boolean {
  const matchers = ruleFor(rules, segments)?.matchers ?? [];
  if (matchers.some((m) => m.match === 'equality')) return true;
  return !matchers.some((m) => m.match === 'type' || m.match === 'regex');
}

/**
 * A type change breaks a response reader when a type appears that it never saw (a body
 * appearing where there was none is the exception), and a request always: old clients send
 * the old type.
 */
function typeChangeBreaks(before: Shape, after: Shape, part: Side['part']): boolean {
  if (part === 'request') return true;
  if (before.types.size === 1 && before.types.has('absent')) return false;
  return [...after.types].some((type) => !before.types.has(type));
}

/**
 * Removed and added keys of one object that are likely one field renamed: the same JSON types
 * and either the same position among the keys or the same value.
 */
function renames(before: Shape, after: Shape, removed: string[], added: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const oldKeys = [...before.fields.keys()];
  const newKeys = [...after.fields.keys()];
  const free = new Set(added);
  for (const key of removed) {
    const was = before.fields.get(key)!;
    const match = [...free].find((candidate) => {
      const now = after.fields.get(candidate)!;
      if (!sameTypes(was, now)) return false;
      const samePlace = oldKeys.indexOf(key) === newKeys.indexOf(candidate);
      const sameValue = was.sample !== undefined && JSON.stringify(was.sample) === JSON.stringify(now.sample);
      return samePlace || sameValue;
    });
    if (match !== undefined) {
      found.set(key, match);
      free.delete(match);
    }
  }
  return found;
}

function compareFields(before: Shape, after: Shape, at: PathSegment[], side: Side, out: Draft[]): void {
  const removed = [...before.fields.keys()].filter((key) => !after.fields.has(key));
  const added = [...after.fields.keys()].filter((key) => !before.fields.has(key));
  const renamed = renames(before, after, removed, added);
  const request = side.part === 'request';
  for (const key of removed) {
    const was = before.fields.get(key)!;
    const location = formatJsonPath([...at, key]);
    const to = renamed.get(key);
    if (to === undefined) out.push({ kind: 'field-removed', breaking: !request, location, before: typeLabel(was) });
    else {
      const now = after.fields.get(to)!;
      out.push({ kind: 'field-renamed', breaking: true, location, renamedTo: formatJsonPath([...at, to]), before: typeLabel(was), after: typeLabel(now) });
    }
  }
  const renamedTo = new Set(renamed.values());
  for (const key of added) {
    if (renamedTo.has(key)) continue;
    out.push({ kind: 'field-added', breaking: request, location: formatJsonPath([...at, key]), after: typeLabel(after.fields.get(key)!) });
  }
  for (const [key, was] of before.fields) {
    const now = after.fields.get(key);
    if (now) compareShapes(was, now, [...at, key], side, out);
  }
}

function compareEnum(after: Shape, at: PathSegment[], side: Side, out: Draft[]): void {
  if (!side.enums || !side.reported || after.strings.size === 0 || !enumLike(side.rules, at)) return;
  const location = formatJsonPath(at);
  const known = side.enums.get(location) ?? new Set<string>();
  // an id or free text that changed (no matchers in a hand-written contract) is not a new enum value
  if (![...known, ...after.strings].every((value) => ENUM_WORD.test(value))) return;
  const fresh = [...after.strings].filter((value) => !known.has(value) && !side.reported!.has(`${location}\u0000${value}`));
  if (fresh.length === 0) return;
  for (const value of fresh) side.reported.add(`${location}\u0000${value}`);
  out.push({ kind: 'enum-widened', breaking: false, location, after: fresh });
}

function compareShapes(before: Shape, after: Shape, at: PathSegment[], side: Side, out: Draft[]): void {
  if (!sameTypes(before, after)) {
    out.push({ kind: 'type-changed', breaking: typeChangeBreaks(before, after, side.part), location: formatJsonPath(at), before: typeLabel(before), after: typeLabel(after) });
  }
  if (before.types.has('object') && after.types.has('object')) compareFields(before, after, at, side, out);
  if (before.item && after.item) compareShapes(before.item, after.item, [...at, EVERY], side, out);
  if (before.types.has('string') && after.types.has('string')) compareEnum(after, at, side, out);
}

function compareHeaders(before: Interaction, after: Interaction, out: Draft[]): void {
  const was = before.response.headers;
  const now = after.response.headers;
  for (const [name, values] of Object.entries(was)) {
    const value = values.join(', ');
    const next = now[name]?.join(', ');
    if (next === undefined) {
      const breaking = name === 'content-type' || before.response.rules.header[name] !== undefined;
      out.push({ kind: 'header-removed', breaking, location: name, before: value });
    } else if (next !== value) {
      const breaking = name === 'content-type' && mediaType(value) !== mediaType(next);
      out.push({ kind: 'header-changed', breaking, location: name, before: value, after: next });
    }
  }
  for (const [name, values] of Object.entries(now)) {
    if (was[name] === undefined) out.push({ kind: 'header-added', breaking: false, location: name, after: values.join(', ') });
  }
}

function compareQuery(before: Interaction, after: Interaction, out: Draft[]): void {
  const was = before.request.query;
  const now = after.request.query;
  for (const name of Object.keys(now)) {
    if (was[name] === undefined) out.push({ kind: 'query-added', breaking: true, location: name, after: now[name]! });
  }
  for (const name of Object.keys(was)) {
    if (now[name] === undefined) out.push({ kind: 'query-removed', breaking: false, location: name, before: was[name]! });
  }
}

function describe(interaction: Interaction): ContractChange['interaction'] {
  return { description: interaction.description, method: interaction.request.method.toUpperCase(), path: interaction.request.path };
}

function comparePair(before: Interaction, after: Interaction, enums: EnumIndex): ContractChange[] {
  const request: Draft[] = [];
  compareQuery(before, after, request);
  compareShapes(bodyShape(before.request.body), bodyShape(after.request.body), [], { part: 'request', rules: before.request.rules.body }, request);
  const response: Draft[] = [];
  if (before.response.status !== after.response.status) {
    response.push({ kind: 'status-changed', breaking: true, location: 'status', before: before.response.status, after: after.response.status });
  }
  compareHeaders(before, after, response);
  const key = methodPath(before);
  const side: Side = { part: 'response', rules: before.response.rules.body, enums: enums.values.get(key) ?? new Map(), reported: enums.reported(key) };
  compareShapes(bodyShape(before.response.body), bodyShape(after.response.body), [], side, response);
  const interaction = describe(before);
  return [
    ...request.map((draft) => ({ ...draft, interaction, part: 'request' as const })),
    ...response.map((draft) => ({ ...draft, interaction, part: 'response' as const })),
  ];
}

// ---------------------------------------------------------------------------------------------
// Enum values of OLD, per method + path

interface EnumIndex {
  values: Map<string, Map<string, Set<string>>>;
  reported: (methodPath: string) => Set<string>;
}

function collectStrings(shape: Shape, at: PathSegment[], into: Map<string, Set<string>>): void {
  if (shape.strings.size > 0) {
    const location = formatJsonPath(at);
    const known = into.get(location) ?? new Set<string>();
    for (const value of shape.strings) known.add(value);
    into.set(location, known);
  }
  for (const [key, child] of shape.fields) collectStrings(child, [...at, key], into);
  if (shape.item) collectStrings(shape.item, [...at, EVERY], into);
}

function enumIndex(old: readonly Interaction[]): EnumIndex {
  const values = new Map<string, Map<string, Set<string>>>();
  for (const interaction of old) {
    const key = methodPath(interaction);
    const places = values.get(key) ?? new Map<string, Set<string>>();
    collectStrings(bodyShape(interaction.response.body), [], places);
    values.set(key, places);
  }
  const reported = new Map<string, Set<string>>();
  return {
    values,
    reported: (key) => {
      const seen = reported.get(key) ?? new Set<string>();
      reported.set(key, seen);
      return seen;
    },
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Every change from `old` to `next`, in OLD's interaction order, then the interactions only NEW
 * has. Within an interaction: request (query, body) then response (status, headers, body).
 *
 * Enum widening: a response string at a place whose rule is `equality` (or that no `type` or
 * `regex` rule covers) is an enum; a value NEW has there that no OLD interaction with the same
 * method and path ever had is reported once, as non-breaking, because a tolerant reader must
 * accept enum values it does not know.
 */
export function diffContracts(old: Contract, next: Contract): ContractChange[] {
  const { pairs, added } = pairInteractions(old.interactions, next.interactions);
  const enums = enumIndex(old.interactions);
  const changes: ContractChange[] = [];
  for (const before of old.interactions) {
    const after = pairs.get(before);
    if (after) changes.push(...comparePair(before, after, enums));
    else changes.push({ kind: 'interaction-removed', breaking: true, interaction: describe(before), part: 'request', location: '' });
  }
  for (const after of added) {
    changes.push({ kind: 'interaction-added', breaking: false, interaction: describe(after), part: 'request', location: '' });
  }
  return changes;
}
