import { describe, expect, it } from 'vitest';
import { clip, formatScore, formatTimeline, wrap } from './format.js';
import type { ReportTimelineEntry } from './types.js';

const entry = (seq: number, startMs: number, more: Partial<ReportTimelineEntry> = {}): ReportTimelineEntry => ({
  seq,
  startMs,
  endMs: startMs + 1,
  stream: 'api',
  method: 'GET',
  path: '/v1/invoices',
  status: 200,
  delivery: 'normal',
  ...more,
});

describe('formatTimeline', () => {
  it('says in words how a response was (not) delivered', () => {
    expect(
      formatTimeline([
        entry(1, 0, { status: undefined, delivery: 'reset', fault: 'network/reset-peer' }),
        entry(2, 150, { delivery: 'truncated' }),
        entry(3, 1200.4, { stream: 'token', method: 'POST', path: '/oauth/token', status: undefined, delivery: 'never' }),
      ]),
    ).toEqual([
      '+0ms    GET /v1/invoices → no response (connection reset) [network/reset-peer]',
      '+150ms  GET /v1/invoices → 200 (body truncated)',
      '+1200ms POST /oauth/token → no response (never answered)',
    ]);
  });

  it('elides the middle of a long timeline, keeping the first two and the last two', () => {
    const timeline = Array.from({ length: 7 }, (_, index) => entry(index + 1, index * 10, { status: 503 }));
    expect(formatTimeline(timeline, 4)).toEqual([
      '+0ms  GET /v1/invoices → 503',
      '+10ms GET /v1/invoices → 503',
      '… 3 more requests',
      '+50ms GET /v1/invoices → 503',
      '+60ms GET /v1/invoices → 503',
    ]);
  });

  it('says so when no request reached the upstream', () => {
    expect(formatTimeline([])).toEqual(['(no requests reached the upstream)']);
  });
});

describe('text helpers', () => {
  it('wraps words with a first and a continuation indent, cutting words longer than a line', () => {
    expect(wrap('one two three four', 10, '- ', '  ')).toEqual(['- one two', '  three', '  four']);
    expect(wrap('abcdefghijklmnop', 8, '> ', '  ')).toEqual(['> abcdef', '  ghijkl', '  mnop']);
    expect(wrap('', 10, 'x ')).toEqual(['x ']);
  });

  it('clips a line with an ellipsis', () => {
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('abcdefg', 6)).toBe('abcde…');
  });

  it('shows integer scores as they are and others with one decimal', () => {
    expect([100, 40, 72.22222, 0.05].map(formatScore)).toEqual(['100', '40', '72.2', '0.1']);
  });
});

describe('wrap', () => {
  it("keeps a line break in the text, so an error's next: line stays on its own line", () => {
    expect(wrap('[holdup] CONTROL_HUNG a.ts: did not settle\n  next: make it return', 40, '  ', '    ')).toEqual([
      '  [holdup] CONTROL_HUNG a.ts: did not',
      '    settle',
      '    next: make it return',
    ]);
  });
});
