import type {
  Contract,
  Fault,
  FaultParams,
  FaultSchedule,
  HttpRequestData,
  Interaction,
  Json,
  ReplayResponse,
  ScheduleStep,
  Stream,
  TraceEntry,
} from '../core/index.js';
import { newRecord } from '../core/index.js';
import { createRng, deriveSeed } from '../core/rng.js';
import { generateBody, generateHeaders, type GenerateContext } from '../contracts/generate.js';
import { EffectLedger } from './effects.js';
import type { RequestMatchOptions } from '../contracts/matching.js';
import { createMatcher } from './match.js';
import { TokenLedger } from './tokens.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ReplayHandlerOptions {
  contract: Contract;
  schedule?: FaultSchedule;
  /** Looks up the fault a schedule step names. */
  faults: ReadonlyMap<string, Fault<FaultParams>>;
  /** Distinguishes this execution's tokens (a short label). */
  label?: string;
  /**
   * The run's seed: the values the contract's generators put in responses (`RandomInt`, `Uuid`,
   * …) are drawn from it, once per interaction, so that every execution of a run (the control one
   * and those under faults) and every retry serves the same values, and a seed replays them. 0
   * when not given.
   */
  seed?: number;
  /** Provider states to prefer when several interactions share a request shape. */
  providerStates?: readonly string[];
  /**
   * Requests after which an execution is a loop (slowed, no longer recorded):
   * MAX_REQUESTS_PER_EXECUTION by default. A server that is not one execution (the throughput
   * bench) passes Infinity.
   */
  loopAfter?: number;
}

/** The upstream's side of one execution, without sockets: everything the trace records except timing of delivery. */
export interface ReplayHandler {
  readonly trace: TraceEntry[];
  readonly tokens: TokenLedger;
  readonly effects: EffectLedger;
  readonly hasTokenEndpoint: boolean;
  /** Requests past MAX_REQUESTS_PER_EXECUTION: answered slowly, and not recorded. */
  readonly requestsCut: number;
  setProviderStates(names: readonly string[]): void;
  /** Handles one request; the caller sends the response and sets `entry.endMs`. */
  handle(request: HttpRequestData, nowMs: number, epochMs: number): { response: ReplayResponse; entry: TraceEntry };
}

interface PreparedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  binary?: true;
}

/** Token interactions: OAuth2 token endpoints, recognised by a POST whose response body carries `access_token`. */
export function isTokenInteraction(interaction: Interaction): boolean {
  const json = interaction.response.body?.json;
  return (
    interaction.request.method.toUpperCase() === 'POST' &&
    json !== null &&
    typeof json === 'object' &&
    !Array.isArray(json) &&
    typeof json['access_token'] === 'string'
  );
}

function prepareResponse(interaction: Interaction): PreparedResponse {
  const { response } = interaction;
  const headers = newRecord<string>();
  for (const [name, values] of Object.entries(response.headers)) headers[name] = values.join(', ');
  let body = '';
  if (response.body) {
    if (response.body.json !== undefined) body = JSON.stringify(response.body.json);
    else body = response.body.text ?? '';
    if (!headers['content-type'] && response.body.contentType) headers['content-type'] = response.body.contentType;
  }
  return { status: response.status, headers, body, ...(response.body?.binary ? { binary: true as const } : {}) };
}

/**
 * The instant the Date, Time and DateTime generators of a run give: the clock when the run's
 * first generated response was served. The same in every execution of the run, or a result that
 * carries a generated time would differ from the control's by the seconds between them.
 */
const runInstants = new Map<number, number>();
function runInstant(seed: number, epochMs: number): number {
  let instant = runInstants.get(seed);
  if (instant === undefined) {
    if (runInstants.size >= 64) runInstants.clear();
    instant = epochMs;
    runInstants.set(seed, instant);
  }
  return instant;
}

/**
 * The response with the contract's generators applied, as Pact's mock server applies them:
 * random values drawn from the run's seed for this interaction, dates at the run's instant,
 * `ProviderState` values from the interaction's provider state params, `MockServerURL` from the
 * address the request reached.
 */
function generated(interaction: Interaction, base: PreparedResponse, ctx: GenerateContext): PreparedResponse {
  const generators = interaction.response.generators;
  if (!generators) return base;
  const headers = generateHeaders({ ...base.headers }, generators.header, ctx);
  const json = interaction.response.body?.json;
  const body = json === undefined || Object.keys(generators.body).length === 0 ? base.body : JSON.stringify(generateBody(json, generators.body, ctx));
  return { ...base, headers, body };
}

function bearer(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

function parseGrant(request: HttpRequestData): Record<string, string> {
  const type = request.headers['content-type'] ?? '';
  if (type.includes('json')) {
    try {
      const parsed = JSON.parse(request.body) as unknown;
      if (parsed && typeof parsed === 'object') {
        return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
      }
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(request.body));
}

function exampleTokens(contract: Contract, tokenInteractions: Interaction[]): { access: string[]; refresh: string[] } {
  const access: string[] = [];
  const refresh: string[] = [];
  for (const interaction of contract.interactions) {
    for (const value of interaction.request.headers['authorization'] ?? []) {
      const token = bearer(value);
      if (token) access.push(token);
    }
  }
  for (const interaction of tokenInteractions) {
    const body = interaction.request.body?.json;
    if (body && typeof body === 'object' && !Array.isArray(body) && typeof body['refresh_token'] === 'string') {
      refresh.push(body['refresh_token']);
    }
  }
  return { access, refresh };
}

function apiError(status: number, error: string, description: string, epochMs: number, headers: Record<string, string> = {}): ReplayResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', date: new Date(epochMs).toUTCString(), ...headers },
    body: JSON.stringify({ error, error_description: description }),
  };
}

/**
 * An execution that has sent this many requests is in a loop (a repeated cursor followed for
 * ever, a retry without a pause): holdup stops recording it, and answers each further request
 * only after LOOP_DELAY_MS, as it would have answered it, so that the loop neither starves the
 * executions running beside it of CPU nor fills memory with its trace, and goes on as it would
 * have (no timeout of the client's is provoked). It is judged on the first 1,000 requests.
 */
export const MAX_REQUESTS_PER_EXECUTION = 1_000;
/** How long holdup holds each response of a loop past MAX_REQUESTS_PER_EXECUTION. */
export const LOOP_DELAY_MS = 250;

export function createReplayHandler(options: ReplayHandlerOptions): ReplayHandler {
  const { contract, faults } = options;
  const loopAfter = options.loopAfter ?? MAX_REQUESTS_PER_EXECUTION;
  const matcher = createMatcher(contract);
  const generatorSeed = options.seed ?? 0;
  /** Generated responses by interaction and the address the request reached: the same every time. */
  const generatedResponses = new Map<string, PreparedResponse>();
  // keyed by each interaction's place in the file: a file's skipped interactions (messages) leave gaps
  const prepared = new Map(contract.interactions.map((interaction) => [interaction.index, prepareResponse(interaction)]));
  const tokenInteractions = contract.interactions.filter(isTokenInteraction);
  const tokenRoutes = new Set(tokenInteractions.map((i) => `${i.request.method.toUpperCase()} ${i.request.path}`));
  const hasTokenEndpoint = tokenInteractions.length > 0;
  const tokens = new TokenLedger(options.label ?? 'x', exampleTokens(contract, tokenInteractions));
  // the server's own tokens stand for the contract's example bearer token whatever the
  // Authorization matcher says of its shape (holdup chose it, not the connector) — where the
  // contract expects a bearer token: not in place of Basic credentials (client_secret_basic) or
  // another scheme. Whether it is still valid is the ledger's to say below, on every request
  const matchOptions: RequestMatchOptions = {
    acceptsHeader: (name, value, expected) => {
      const token = name === 'authorization' && bearer(expected) !== undefined ? bearer(value) : undefined;
      return token !== undefined && tokens.issuedHere(token);
    },
  };
  const effects = new EffectLedger();
  const trace: TraceEntry[] = [];
  const counters: Record<Stream, number> = { api: 0, token: 0 };
  const cut = { count: 0 };
  const steps = new Map<string, ScheduleStep>();
  const onwards: ScheduleStep[] = [];
  for (const step of options.schedule?.steps ?? []) {
    if (step.onwards) onwards.push(step);
    else steps.set(`${step.on}:${step.request}`, step);
  }
  const stepFor = (stream: Stream, index: number): ScheduleStep | undefined =>
    steps.get(`${stream}:${index}`) ?? onwards.find((step) => step.on === stream && step.request <= index);
  let activeStates: readonly string[] = options.providerStates ?? [];

  /** Handles the request as the upstream would; `known` is its match, when the caller already has it. */
  function upstream(request: HttpRequestData, entry: TraceEntry, epochMs: number, known?: ReturnType<typeof matcher.match>): ReplayResponse {
    const found = known ?? matcher.match(request, activeStates, matchOptions);
    if (!found.interaction) {
      entry.unmatched = true;
      if (found.nearMiss) entry.nearMiss = found.nearMiss;
      return {
        status: 500,
        headers: { 'content-type': 'application/json', 'x-holdup-unmatched': 'true' },
        body: JSON.stringify({
          error: 'holdup-no-match',
          message: `No interaction in ${contract.file} matches ${request.method} ${request.path}`,
          nearMiss: found.nearMiss ?? null,
        }),
      };
    }
    const interaction = found.interaction;
    entry.interaction = { index: interaction.index, description: interaction.description };
    let base = prepared.get(interaction.index) as PreparedResponse;
    if (interaction.response.generators) {
      const host = request.headers['host'];
      const key = `${interaction.index} ${host ?? ''}`;
      let once = generatedResponses.get(key);
      if (!once) {
        once = generated(interaction, base, {
          rng: createRng(deriveSeed(generatorSeed, 'generators', String(interaction.index))),
          epochMs: runInstant(generatorSeed, epochMs),
          baseUrl: host === undefined ? undefined : `http://${host}`,
          states: interaction.providerStates,
        });
        generatedResponses.set(key, once);
      }
      base = once;
    }

    if (entry.stream === 'token') {
      const grant = parseGrant(request);
      if (grant['grant_type'] === 'refresh_token' && !tokens.isRefreshValid(grant['refresh_token'] ?? '')) {
        return apiError(400, 'invalid_grant', 'The refresh token is invalid, expired or revoked.', epochMs);
      }
      const issued = tokens.issue(grant['grant_type'] ?? 'unknown', entry.seq, entry.startMs);
      const body = { ...(JSON.parse(base.body) as Record<string, Json>) };
      body['access_token'] = issued.accessToken;
      if (typeof body['refresh_token'] === 'string') body['refresh_token'] = issued.refreshToken;
      return { status: base.status, headers: { ...base.headers }, body: JSON.stringify(body) };
    }

    if (hasTokenEndpoint) {
      const token = bearer(request.headers['authorization']);
      const status = token === undefined ? 'missing' : tokens.checkAccess(token);
      // A token holdup issued (or the contract's own example) is enforced on every request that
      // carries it, whether or not the interaction lists Authorization: many recorded contracts
      // leave it out, and a client that never refreshes must not pass for it. A request without
      // one is held to it only where the interaction asks for it (a static key is not a token).
      const declared = interaction.request.headers['authorization'] !== undefined;
      entry.auth = { token, status, enforced: declared || status === 'valid' || status === 'expired' };
    }
    if (entry.auth?.enforced) {
      const { status } = entry.auth;
      if (status === 'missing') {
        return apiError(401, 'unauthorized', 'No bearer token.', epochMs, { 'www-authenticate': 'Bearer realm="api"' });
      }
      if (status !== 'valid') {
        const why = status === 'expired' ? 'The access token expired' : 'The access token is not one this server issued';
        return apiError(401, 'invalid_token', `${why}.`, epochMs, {
          'www-authenticate': `Bearer realm="api", error="invalid_token", error_description="${why}"`,
        });
      }
    }

    const response: ReplayResponse = { status: base.status, headers: { ...base.headers }, body: base.body, ...(base.binary ? { binary: true as const } : {}) };
    if (WRITE_METHODS.has(request.method) && response.status >= 200 && response.status < 300) {
      return effects.commit(
        { interaction: interaction.index, idempotencyKey: request.headers['idempotency-key'], seq: entry.seq, atMs: entry.startMs },
        response,
      );
    }
    return response;
  }

  return {
    trace,
    tokens,
    effects,
    hasTokenEndpoint,
    get requestsCut() {
      return cut.count;
    },
    setProviderStates(names) {
      activeStates = [...names];
    },
    handle(request, nowMs, epochMs) {
      const stream: Stream = tokenRoutes.has(`${request.method} ${request.path}`) ? 'token' : 'api';

      const found = matcher.match(request, activeStates, matchOptions);
      const next = stepFor(stream, counters[stream] + 1);
      // A request no interaction matches is holdup's to answer (matches-contract reports it): it
      // takes no place in its stream, so no fault step is spent on it and no fault hides it —
      // except a fault derived from the recording, which may translate it (the empty page's marker
      // cursor leads to the real first page).
      const unmatched = !found.interaction && !(next && faults.get(next.fault)?.derived);
      const streamIndex = unmatched ? 0 : ++counters[stream];
      const entry: TraceEntry = {
        seq: trace.length + 1,
        stream,
        streamIndex,
        startMs: nowMs,
        endMs: nowMs,
        request,
        response: undefined,
        delivery: 'normal',
      };
      trace.push(entry);
      const step = unmatched ? undefined : next;
      let response: ReplayResponse;
      const fault = step ? faults.get(step.fault) : undefined;
      if (step && fault) {
        entry.fault = { id: step.fault, params: step.params };
        let interaction: Interaction | undefined;
        response = fault.apply(step.params, {
          request,
          get interaction() {
            interaction ??= found.interaction;
            return interaction;
          },
          nowMs,
          epochMs,
          tokens,
          next: (instead) => (instead === undefined || instead === request ? upstream(request, entry, epochMs, found) : upstream(instead, entry, epochMs)),
        });
      } else {
        response = upstream(request, entry, epochMs, found);
      }
      if (response.untouched) delete entry.fault;
      entry.delivery = response.delivery ?? 'normal';
      if (response.toxics && response.toxics.length > 0) {
        entry.network = response.toxics
          .map((toxic) => `${toxic.type} (${Object.entries(toxic.attributes).map(([name, value]) => `${name}=${value}${toxic.countFromBody && name === 'bytes' ? ' of the body' : ''}`).join(', ')})`)
          .join(' + ');
      }
      entry.response = entry.delivery === 'never' ? undefined : { status: response.status, headers: response.headers, body: response.body };
      if (trace.length > loopAfter) {
        // a loop: answered as it would have been, slowly, and no longer recorded
        trace.pop();
        cut.count += 1;
        return { response: { ...response, headersDelayMs: Math.max(response.headersDelayMs ?? 0, LOOP_DELAY_MS) }, entry };
      }
      return { response, entry };
    },
  };
}
