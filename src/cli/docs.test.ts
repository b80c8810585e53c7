import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/index.js';
import { CATEGORY_IDS } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { builtinScenarios } from '../report/checks-doc.js';
import { REPORTER_DOCS, REPORTERS } from '../report/index.js';
import { COMMANDS } from './commands.js';
import { countInWords, fillBlocks, generatedFiles } from './docs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('generated docs (npm run docs)', async () => {
  const files = await generatedFiles(root);

  it.each(files.map((generated) => [generated.file, generated] as const))(
    '%s is committed exactly as `npm run docs` writes it from the registries',
    async (file, generated) => {
      const committed = await readFile(path.join(root, file), 'utf8');
      // a bare toBe would print two whole files; say what to do first
      if (committed !== generated.text) expect.fail(`${file} is out of date: run \`npm run docs\` and commit the result`);
    },
  );

  it('puts every fault, check, category, reporter and command where a reader looks for it', () => {
    const text = (file: string) => files.find((generated) => generated.file === file)?.text ?? '';
    for (const id of FAULTS.keys()) expect(text('docs/faults.md')).toContain(`\`${id}\``);
    for (const id of Object.keys(CHECKS)) expect(text('docs/checks.md')).toContain(`## ${id}\n`);
    for (const id of CATEGORY_IDS) expect(text('README.md')).toContain(`| \`${id}\` |`);
    for (const name of Object.keys(REPORTERS)) expect(text('docs/cli.md')).toContain(`| \`${name}\` |`);
    for (const name of Object.keys(COMMANDS)) {
      expect(text('docs/cli.md')).toContain(`## holdup ${name}\n`);
      expect(text('README.md')).toContain(`holdup ${name}`);
    }
  });
});

describe('fillBlocks', () => {
  it('replaces inline and multi-line blocks, and keeps the text around them', () => {
    const text = 'We have <!-- generated:n -->2<!-- /generated:n --> of them.\n<!-- generated:t -->\nold\n<!-- /generated:t -->\nend\n';
    expect(fillBlocks(text, { n: '3', t: 'a\nb' }, 'X.md')).toBe(
      'We have <!-- generated:n -->3<!-- /generated:n --> of them.\n<!-- generated:t -->\na\nb\n<!-- /generated:t -->\nend\n',
    );
  });

  it('refuses a file whose block went missing, naming it, rather than dropping the content', () => {
    expect(() => fillBlocks('no markers\n', { n: '3' }, 'README.md')).toThrow(/README.md has no block "<!-- generated:n -->/);
    expect(() => fillBlocks('<!-- generated:n -->unclosed\n', { n: '3' }, 'README.md')).toThrow(/README.md has no block/);
  });

  it('writes small counts in words and large ones in digits', () => {
    expect(countInWords(19)).toBe('nineteen');
    expect(countInWords(48)).toBe('48');
  });
});

// What every registry entry must come with: a new fault, check or reporter that lacks one fails here.
describe('the registries', async () => {
  const scenarios = await builtinScenarios();
  const checkTests = await Promise.all(
    (await readdir(path.join(root, 'src/checks')))
      .filter((name) => name.endsWith('.test.ts') && name !== 'index.test.ts')
      .map((name) => readFile(path.join(root, 'src/checks', name), 'utf8')),
  );

  it('gives every category faults and scenarios', () => {
    for (const category of CATEGORY_IDS) {
      expect([...FAULTS.values()].some((fault) => fault.category === category), category).toBe(true);
      expect(scenarios.some((scenario) => scenario.category === category), category).toBe(true);
    }
  });

  it('has every fault used by a built-in scenario of its own category, with a one-sentence summary', () => {
    for (const fault of FAULTS.values()) {
      const users = scenarios.filter((scenario) => scenario.faults.some((step) => step.fault === fault.id));
      expect(users.length, `${fault.id} is used by no scenario in scenarios/`).toBeGreaterThan(0);
      expect(users.some((scenario) => scenario.category === fault.category), `${fault.id}: no scenario of ${fault.category} uses it`).toBe(true);
      expect(fault.summary, fault.id).toMatch(/^[A-Z0-9`].*[.)]$/s);
    }
  });

  it('has every check documented, judging some category, and tested by name in src/checks', () => {
    for (const check of Object.values(CHECKS)) {
      expect(check.docs.rule.length, check.id).toBeGreaterThan(20);
      const judged = check.policy !== undefined || check.id === 'matches-contract' || scenarios.some((s) => s.checks.includes(check.id));
      expect(judged, `${check.id} is named by no scenario and is no policy check`).toBe(true);
      expect(checkTests.some((text) => text.includes(`'${check.id}'`) || text.includes(`from './${check.id}.js'`)), `${check.id} has no test`).toBe(true);
    }
  });

  it('says what every reporter makes', () => {
    for (const name of Object.keys(REPORTERS) as (keyof typeof REPORTERS)[]) expect(REPORTER_DOCS[name].length, name).toBeGreaterThan(10);
  });
});
