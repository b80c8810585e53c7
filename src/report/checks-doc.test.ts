import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/index.js';
import { CHECKS_DOC_FILE, builtinScenarios, renderChecksDoc } from './checks-doc.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('docs/checks.md', () => {
  it('is committed exactly as the generator writes it from the check registry and the scenarios (run `npm run schemas` after changing a check)', async () => {
    expect(await readFile(`${root}${CHECKS_DOC_FILE}`, 'utf8')).toBe(renderChecksDoc(CHECKS, await builtinScenarios()));
  });

  it('states the rule, the evidence and what makes it judge nothing for every check, and lists its codes', async () => {
    const text = renderChecksDoc(CHECKS, await builtinScenarios());
    for (const check of Object.values(CHECKS)) {
      const section = text.slice(text.indexOf(`\n## ${check.id}\n`));
      expect(section).toContain(`- **Rule.** ${check.docs.rule}`);
      expect(section).toContain(`- **Evidence.** ${check.docs.evidence}`);
      expect(section).toContain(`- **Judges nothing when.** ${check.docs.notExercised}`);
      for (const code of Object.keys(check.codes)) expect(section).toContain(code);
    }
  });
});
