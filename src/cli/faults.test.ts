import { describe, expect, it } from 'vitest';
import { FAULTS } from '../faults/index.js';
import { FakeOut } from '../report/test-helpers.js';
import { main } from './main.js';

describe('holdup faults', () => {
  it('lists every fault once, and marks the ones that need Toxiproxy', async () => {
    const out = new FakeOut();
    expect(await main(['faults'], { out, err: new FakeOut(), cwd: '/' })).toBe(0);
    const lines = out.text.trimEnd().split('\n');
    expect(lines.map((line) => line.split(' ')[0])).toEqual([...FAULTS.keys()]);
    const marked = lines.filter((line) => line.includes('[needs Toxiproxy]')).map((line) => line.split(' ')[0]);
    expect(marked).toEqual([...FAULTS.values()].filter((fault) => fault.needs === 'network').map((fault) => fault.id));
    expect(marked).toContain('network-faults/limit-data');
    expect(marked).not.toContain('latency-timeout/slow-headers');
  });
});
