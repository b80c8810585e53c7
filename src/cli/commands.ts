/**
 * Every command of the command line, its options and their help: the one source of the global
 * usage, `holdup <command> --help`, the short flags and each command's argument parsing.
 */
import { parseArgs } from 'node:util';
import { HOLDUP_VERSION } from '../config/index.js';
import { closest, HoldupError } from '../core/index.js';
import { REPORTERS } from '../report/index.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's name in help: `FILE`, `NAME`, `N`. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  /** What follows the command's name in its synopsis, besides options (`FILE`, `OLD.json NEW.json`). */
  args?: string;
  summary: string;
  options: Readonly<Record<string, OptionSpec>>;
  positionals: boolean;
  /** Lines shown after the options: examples, exit codes, where the docs are. */
  notes: readonly string[];
}

const EXIT_CODES = 'Exit codes: 0 every gate passed; 1 a gate failed; 2 bad input or usage; 3 holdup itself could not run (or failed); 130 interrupted.';

/** Options of every command, taken out of the arguments before the command parses its own (`takeGlobalOptions`). */
export const GLOBAL_OPTIONS = {
  debug: { type: 'boolean', help: 'when holdup itself fails (an internal error, exit 3), print the stack trace too' },
} as const satisfies Record<string, OptionSpec>;

/** The global options among `args` (anywhere before a `--`), and the arguments without them. */
export function takeGlobalOptions(args: readonly string[]): { debug: boolean; rest: string[] } {
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  const rest = args.filter((arg, index) => index >= end || arg !== '--debug');
  return { debug: rest.length < args.length, rest };
}

const config = { type: 'string', short: 'c', value: 'FILE', help: 'the config file (default: holdup.config.* or the "holdup" key of package.json, in the current folder)' } as const;
const connector = { type: 'string', short: 'n', value: 'NAME', help: 'the connector, by the name it was defined with' } as const;
const seed = { type: 'string', short: 's', value: 'N', help: 'the seed every random choice derives from (0 to 4294967295; random by default, printed)' } as const;

export const COMMANDS = {
  run: {
    summary: 'replay the contract to every connector under every scenario, score each, and gate',
    positionals: false,
    options: {
      config,
      connector: { ...connector, multiple: true, help: 'only these connectors (repeat the flag or separate names with commas)' },
      category: { type: 'string', multiple: true, value: 'ID', help: 'only these categories (rate-limit, auth-expiry, …: holdup faults lists them)' },
      scenario: { type: 'string', multiple: true, value: 'ID', help: 'only these scenarios (rate-limit/retry-after-seconds, …)' },
      operation: { type: 'string', multiple: true, value: 'NAME', help: "only these operations of the connectors" },
      seed,
      reporter: {
        type: 'string',
        short: 'r',
        multiple: true,
        value: 'NAME[:FILE]',
        help: `${Object.keys(REPORTERS).join(', ')} (docs/cli.md says what each makes); repeat it for several. With :FILE the reporter writes that file; json without a file prints the report on stdout (console then goes to stderr). Default: the config's reporters, files in the reports folder`,
      },
      'reports-dir': { type: 'string', short: 'o', value: 'DIR', help: "where <run-id>/ and latest/ are written (default: the config's reportsDir, reports/)" },
      concurrency: { type: 'string', short: 'j', value: 'N', help: 'executions at once (default: the config\'s concurrency, 16)' },
      'network-engine': { type: 'string', value: 'auto|url|process|container|none', help: 'where Toxiproxy comes from (default auto: holdup doctor says which)' },
      mode: { type: 'string', short: 'm', value: 'network|in-process', help: 'real sockets (default), or HTTP-level faults only on a virtual clock' },
      baseline: {
        type: 'string',
        short: 'b',
        value: 'FILE',
        help: "an earlier run's report.json (main's): the exit code then says only whether anything got worse than it (a score beyond --baseline-budget, a category that stopped passing, a new critical finding)",
      },
      'baseline-budget': { type: 'string', value: 'POINTS', help: 'how many points a score may drop before it counts as worse (default 2)' },
    },
    notes: [
      'Examples:',
      '  holdup run',
      '  holdup run -n billing-robust -s 7 --category rate-limit,auth-expiry',
      '  holdup run -r console -r junit:reports/junit.xml -r json > report.json',
      '  holdup run -s 7 --baseline main-report.json',
      '',
      EXIT_CODES,
      'Docs: README.md, docs/config.md, docs/checks.md.',
    ],
  },
  fuzz: {
    summary: 'search for a fault schedule that breaks the connector; shrink it, and write it as a repro file to scenarios/repro/',
    positionals: false,
    options: {
      config,
      connector: { ...connector, help: 'the connector to fuzz (required)' },
      runs: { type: 'string', value: 'N', help: 'at most this many runs (default 100)' },
      seed,
      path: { type: 'string', value: 'P', help: 'replay one run of the seed: the path holdup fuzz printed (needs --seed)' },
      'time-budget': { type: 'string', value: 'DURATION', help: 'stop searching after this long: 30s, 2m, 500ms' },
      mode: { type: 'string', short: 'm', value: 'in-process|network', help: 'a virtual clock (default: waits cost nothing), or real sockets' },
    },
    notes: ['Example: holdup fuzz -n billing-naive --runs 200 -s 42', EXIT_CODES, 'Docs: docs/fuzz.md.'],
  },
  repro: {
    args: 'FILE',
    summary: 'replay a repro file (or one fuzz run by --connector, --seed and --path); exits 1 while the connector still fails it',
    positionals: true,
    options: {
      config,
      connector: { ...connector, help: 'with --seed and --path: the connector of the fuzz run to replay' },
      seed: { ...seed, help: 'with --path: the seed holdup fuzz printed' },
      path: { type: 'string', value: 'P', help: 'with --seed: the path holdup fuzz printed' },
    },
    notes: ['Example: holdup repro scenarios/repro/billing-naive-0000002a.json', EXIT_CODES, 'Docs: docs/fuzz.md.'],
  },
  record: {
    summary: 'drive the connector against the real upstream and write what it saw as a redacted Pact V4 contract',
    positionals: false,
    options: {
      upstream: { type: 'string', short: 'u', value: 'URL', help: 'the real API (or its sandbox) to record (required)' },
      connector: { ...connector, help: 'the connector whose operations drive the recording (required)' },
      out: { type: 'string', short: 'o', value: 'FILE', help: 'where to write the contract (default: contracts/<connector>-<provider>.json beside the config)' },
      provider: { type: 'string', value: 'NAME', help: "the provider's name in the contract (default: the upstream's host)" },
      force: { type: 'boolean', short: 'f', help: 'overwrite a contract that exists' },
      config,
    },
    notes: ['Example: holdup record -u http://127.0.0.1:4010 -n billing-robust', EXIT_CODES, 'Docs: docs/record.md.'],
  },
  verify: {
    args: '[CONTRACT…]',
    summary: "run Pact's verifier against the real upstream; exits 1 when it drifted from the contract",
    positionals: true,
    options: {
      'provider-url': { type: 'string', short: 'u', value: 'URL', help: 'the upstream (or its sandbox) to verify against (required)' },
      'state-change-url': { type: 'string', value: 'URL', help: "the provider's state-change endpoint, for interactions with provider states" },
      secret: { type: 'string', multiple: true, value: 'NAME=VALUE', help: 'the value of a <redacted:NAME> placeholder (or the environment variable HOLDUP_SECRET_<NAME>)' },
      header: { type: 'string', multiple: true, value: "'Name: value'", help: 'a header sent with every request, replacing the recorded one' },
      config,
      json: { type: 'boolean', help: 'print the result as JSON' },
    },
    notes: [
      'CONTRACT: the files to verify (default: the contracts of the config\'s connectors, else contracts/*.json).',
      'Example: holdup verify -u https://sandbox.example.com --secret API_KEY=…',
      EXIT_CODES,
      'Docs: docs/verify.md. Needs @pact-foundation/pact-core installed beside holdup.',
    ],
  },
  diff: {
    args: 'OLD.json NEW.json',
    summary: 'what changed between two contracts; exits 1 when a change breaks clients of OLD',
    positionals: true,
    options: { json: { type: 'boolean', help: 'print the changes as JSON' } },
    notes: ['Example: holdup diff contracts/billing.json new/billing.json', EXIT_CODES, 'Docs: docs/diff.md.'],
  },
  import: {
    args: 'nock FILE | openapi SPEC',
    summary: 'write a Pact V4 contract from nock recordings (Nock Back fixtures, nock.recorder objects) or an OpenAPI 3.0/3.1 document (JSON or YAML)',
    positionals: true,
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', help: 'where to write the contract, in a folder that exists (default: contracts/<consumer>-<provider>.json in the current folder, contracts/ made if needed)' },
      consumer: { type: 'string', value: 'NAME', help: "the consumer's name in the contract (default: the input's file name)" },
      provider: { type: 'string', value: 'NAME', help: "the provider's name (default: nock, the recording's host; openapi, the document's info.title)" },
      scope: { type: 'string', value: 'ORIGIN', help: 'nock: only the requests to this origin (needed when the recording holds several)' },
      force: { type: 'boolean', short: 'f', help: 'overwrite a contract that exists' },
    },
    notes: [
      'Examples:',
      '  holdup import nock test/fixtures/billing.json --consumer billing-app',
      '  holdup import openapi openapi.yaml --out contracts/shop-petstore.json',
      'openapi needs @apidevtools/json-schema-ref-parser installed beside holdup (it resolves $ref).',
      EXIT_CODES,
      'Docs: docs/import.md.',
    ],
  },
  compare: {
    args: 'BASELINE.json REPORT.json',
    summary: 'what got better and worse between two run reports; exits 1 when something got worse',
    positionals: true,
    options: {
      'baseline-budget': { type: 'string', value: 'POINTS', help: 'how many points a score may drop before it counts as worse (default 2)' },
      json: { type: 'boolean', help: 'print the comparison as JSON' },
    },
    notes: ['Example: holdup compare main/report.json reports/latest/report.json', EXIT_CODES, 'Docs: docs/ci.md.'],
  },
  faults: {
    summary: 'list every fault holdup can inject',
    positionals: false,
    options: {},
    notes: ['Docs: docs/scenarios.md.'],
  },
  doctor: {
    summary: 'say which network engine holdup will use, and why not the others',
    positionals: false,
    options: {},
    notes: ['Docs: docs/network.md.'],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

type OptionValue<O> = O extends { type: 'boolean' } ? boolean : O extends { multiple: true } ? string[] : string;
type Options<N extends CommandName> = (typeof COMMANDS)[N]['options'];
/** What a command's options parse to: each absent, or a string, a list of them, or a boolean. */
export type CommandValues<N extends CommandName> = { -readonly [K in keyof Options<N>]?: OptionValue<Options<N>[K]> };

/** The command's arguments parsed by its options (strict: an unknown option is a usage error). */
export function parseCommand<N extends CommandName>(name: N, args: string[]): { values: CommandValues<N>; positionals: string[] } {
  const spec: CommandSpec = COMMANDS[name];
  const options = spec.options as Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
  const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: spec.positionals });
  return { values: values as CommandValues<N>, positionals };
}

function flags(name: string, option: OptionSpec): string {
  const long = `--${name}${option.value ? ` ${option.value}` : ''}${option.multiple ? '…' : ''}`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
}

/** Text folded at `width` columns, every line after the first indented by `indent`. */
function fold(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

const WIDTH = 100;

/** `holdup <command> --help`. */
export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const options = [...Object.entries(spec.options), ...Object.entries(GLOBAL_OPTIONS)].map(([option, value]) => [flags(option, value), value.help] as const);
  options.push(['-h, --help', 'this help']);
  const column = Math.min(34, Math.max(...options.map(([flag]) => flag.length)) + 2);
  const synopsis = `holdup ${name}${spec.args ? ` ${spec.args}` : ''}${Object.keys(spec.options).length > 0 ? ' [options]' : ''}`;
  return [
    `${synopsis}`,
    '',
    fold(spec.summary, WIDTH, 0),
    '',
    'Options:',
    ...options.map(([flag, help]) =>
      flag.length + 2 > column
        ? `  ${flag}\n${' '.repeat(column + 2)}${fold(help, WIDTH - column - 2, column + 2)}`
        : `  ${flag.padEnd(column)}${fold(help, WIDTH - column - 2, column + 2)}`,
    ),
    '',
    ...spec.notes,
    '',
  ].join('\n');
}

/** `holdup --help`: every command with its summary. */
export function globalHelp(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  const column = Math.max(...names.map((name) => name.length)) + 2;
  return [
    `holdup ${HOLDUP_VERSION} — does your integration hold up in production?`,
    '',
    'Usage: holdup <command> [options]',
    '',
    'Commands:',
    ...names.map((name) => `  ${name.padEnd(column)}${fold(COMMANDS[name].summary, WIDTH - column - 2, column + 2)}`),
    '',
    'Options: -h, --help (also after a command: holdup run --help), -v, --version, --debug (a stack trace when holdup itself fails)',
    EXIT_CODES,
    'Docs: README.md and docs/.',
    '',
  ].join('\n');
}

/** A command name that is not one, with the nearest that is. */
export function nearestCommand(name: string): string | undefined {
  return closest(name, Object.keys(COMMANDS));
}

/** A number of points (`--baseline-budget 2.5`): 0 or more. */
export function points(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) {
    throw new HoldupError('USAGE', `${flag} takes a number of points, 0 or more, got "${value}"`, { hint: `for example ${flag} 2` });
  }
  return Number(value);
}

/** The two files a command takes (`holdup diff OLD NEW`), or a usage error saying what it got instead. */
export function twoFiles(positionals: readonly string[], takes: string, example: string): [string, string] {
  if (positionals.length !== 2) {
    const got = positionals.length === 0 ? 'none' : positionals.map((file) => `"${file}"`).join(', ');
    throw new HoldupError('USAGE', `${takes}; got ${got}`, { hint: `for example ${example}` });
  }
  return positionals as [string, string];
}
