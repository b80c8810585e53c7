import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/index.js';
import { builtinScenarios, renderChecksDoc } from './checks-doc.js';

describe('docs/checks.md', () => {
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
