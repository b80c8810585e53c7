import { describe, expect, it } from 'vitest';
import { FakeOut } from '../report/test-helpers.js';
import { COMMANDS, commandHelp, globalHelp, parseCommand, type CommandName } from './commands.js';
import { main, reporterSpecs } from './main.js';
import { liveProgress, useColor } from './terminal.js';

async function holdup(...argv: string[]) {
  const out = new FakeOut();
  const err = new FakeOut();
  const code = await main(argv, { out, err, cwd: '/nonexistent', signal: new AbortController().signal });
  return { code, stdout: out.text, stderr: err.text };
}

const names = Object.keys(COMMANDS) as CommandName[];

describe('the command registry', () => {
  it.each(names)('%s: every option has help, and no two options share a short flag', (name) => {
    const options = Object.entries(COMMANDS[name].options);
    for (const [, option] of options) expect(option.help.length).toBeGreaterThan(10);
    const shorts = options.flatMap(([, option]) => ('short' in option ? [option.short] : []));
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(shorts).not.toContain('h');
  });

  it.each(names)('holdup %s --help prints its help, every option in it, and exits 0', async (name) => {
    const ran = await holdup(name, '--help');
    expect(ran).toEqual({ code: 0, stdout: commandHelp(name), stderr: '' });
    expect(ran.stdout.startsWith(`holdup ${name}`)).toBe(true);
    for (const option of Object.keys(COMMANDS[name].options)) expect(ran.stdout).toContain(`--${option}`);
    expect(await holdup(name, '-h')).toEqual(ran);
    expect(await holdup('help', name)).toEqual(ran);
  });

  it('--help wins over options that would be wrong: the user asked how to call it', async () => {
    expect((await holdup('run', '--seed', 'abc', '--help')).code).toBe(0);
    expect((await holdup('fuzz', '--no-such-option', '-h')).code).toBe(0);
  });

  it('holdup --help lists every command; holdup alone prints the same to stderr and exits 2', async () => {
    const help = await holdup('--help');
    expect(help).toEqual({ code: 0, stdout: globalHelp(), stderr: '' });
    for (const name of names) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(await holdup()).toEqual({ code: 2, stdout: '', stderr: globalHelp() });
  });

  it('-v and --version print the version alone', async () => {
    const version = await holdup('--version');
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(await holdup('-v')).toEqual(version);
  });

  it('short flags mean what their long forms mean', () => {
    const short = parseCommand('run', ['-c', 'h.ts', '-n', 'a', '-n', 'b', '-s', '7', '-r', 'junit:o.xml', '-o', 'out', '-j', '3', '-m', 'in-process']);
    const long = parseCommand('run', ['--config', 'h.ts', '--connector', 'a', '--connector', 'b', '--seed', '7', '--reporter', 'junit:o.xml', '--reports-dir', 'out', '--concurrency', '3', '--mode', 'in-process']);
    expect(short).toEqual(long);
    expect(parseCommand('record', ['-u', 'http://x', '-n', 'c', '-o', 'f.json', '-f']).values).toEqual({ upstream: 'http://x', connector: 'c', out: 'f.json', force: true });
  });

  it('an unknown command or option is a usage error that says where to look', async () => {
    expect(await holdup('rnu')).toEqual({ code: 2, stdout: '', stderr: '[holdup] USAGE unknown command "rnu"\n  next: did you mean holdup run? (holdup --help lists the commands)\n' });
    const option = await holdup('doctor', '--verbose');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^\[holdup\] USAGE Unknown option '--verbose'.*\n {2}next: holdup doctor --help lists its options\n$/s);
  });
});

describe('--reporter NAME[:FILE]', () => {
  it('sends json without a file to stdout, files relative to the current folder, and splits commas', () => {
    expect(reporterSpecs(['console,json', 'junit:out/junit.xml', 'markdown'], '/project')).toEqual([
      { name: 'console' },
      { name: 'json', target: '-' },
      { name: 'junit', target: '/project/out/junit.xml' },
      { name: 'markdown' },
    ]);
    expect(reporterSpecs(['json:/abs/report.json', 'json:-'], '/project')).toEqual([
      { name: 'json', target: '/abs/report.json' },
      { name: 'json', target: '-' },
    ]);
  });

  it('refuses an empty file name', () => {
    expect(() => reporterSpecs(['junit:'], '/project')).toThrow('--reporter junit:: the file after ":" is empty');
  });
});

describe('colours and progress follow the conventions', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ['a TTY', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['NO_COLOR on a TTY', tty, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR', tty, { NO_COLOR: '' }, true],
    ['FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR over NO_COLOR', pipe, { FORCE_COLOR: '', NO_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a TTY', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false', tty, { FORCE_COLOR: 'false' }, false],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false],
  ])('colour on %s: %s', (_name, stream, env, expected) => {
    expect(useColor(stream, env)).toBe(expected);
  });

  it.each([
    ['a TTY', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['a TTY in CI', tty, { CI: 'true' }, false],
    ['a TTY with CI=false', tty, { CI: 'false' }, true],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false],
  ])('progress redrawn in place on %s: %s', (_name, stream, env, expected) => {
    expect(liveProgress(stream, env)).toBe(expected);
  });
});
