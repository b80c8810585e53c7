import type { Json } from './json.js';

/** One Pact matcher, e.g. `{ match: 'type', min: 1 }` or `{ match: 'regex', regex: '^in_' }`. */
export interface MatchingRule {
  match: string;
  [option: string]: unknown;
}

export interface RuleList {
  combine: 'AND' | 'OR';
  matchers: MatchingRule[];
}

/**
 * Matching rules of one request or response, normalised to the V3/V4 shape.
 * `body` keys are Pact paths (`$.data[*].id`); `header` and `query` keys are the
 * (lower-cased, for headers) names; `path` and `status` apply to the whole value.
 */
export interface MatchingRules {
  body: Record<string, RuleList>;
  header: Record<string, RuleList>;
  query: Record<string, RuleList>;
  path?: RuleList;
  status?: RuleList;
}

/** A body from a contract: parsed JSON when the content type is JSON (or form data as an object), else text. */
export interface ContractBody {
  contentType: string | undefined;
  /** Set for JSON bodies and for `application/x-www-form-urlencoded` bodies (an object of strings). */
  json?: Json;
  /** Set for every other body. */
  text?: string;
  /**
   * A body that is not text (a V4 `encoded: "base64"` body of an image, a PDF, raw bytes): `text`
   * holds its bytes one character per byte (latin1), and it is served and compared byte for byte.
   */
  binary?: true;
}

/** One Pact generator, e.g. `{ type: 'RandomInt', min: 1, max: 9 }` or `{ type: 'ProviderState', expression: '${id}' }`. */
export interface Generator {
  type: string;
  [option: string]: unknown;
}

/** A response's generators: `body` keys are Pact paths (`$.id`), `header` keys lower-cased names. */
export interface Generators {
  body: Record<string, Generator>;
  header: Record<string, Generator>;
}

export interface ContractRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  /** Lower-cased names. */
  headers: Record<string, string[]>;
  body?: ContractBody;
  rules: MatchingRules;
}

export interface ContractResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string[]>;
  body?: ContractBody;
  rules: MatchingRules;
  /** Values the server generates in place of the examples on every response (Pact V3/V4 `generators`). */
  generators?: Generators;
}

export interface ProviderState {
  name: string;
  params?: Record<string, Json>;
}

export interface Interaction {
  /** Position in the contract file's `interactions` array. */
  index: number;
  description: string;
  providerStates: ProviderState[];
  request: ContractRequest;
  response: ContractResponse;
}

/** An interaction of a contract file that holdup does not replay (a message, a plugin's), and why. */
export interface SkippedInteraction {
  /** Its index in the file's `interactions`. */
  index: number;
  type: string;
  description: string;
  reason: string;
}

export interface Contract {
  /** The file it was read from, as the user named it (relative to the project root when possible). */
  file: string;
  consumer: string;
  provider: string;
  /** `pactSpecification.version` from the metadata, e.g. '4.0' or '3.0.0'. */
  specVersion: string;
  interactions: Interaction[];
  /** Interactions of the file that are not replayed; `interactions[i].index` keeps each one's place in the file. */
  skipped?: SkippedInteraction[];
}
