import { describe, expect, it } from 'vitest';
import { askedWaitMs, renderHtml } from './html.js';
import { fixtureReport } from './test-fixtures.js';

describe('html reporter', () => {
  it('says interrupted, not incomplete, when Ctrl-C stopped the run', () => {
    const report = { ...fixtureReport(), complete: false, interrupted: true, incompleteReason: 'the run was interrupted' };
    expect(renderHtml(report)).toContain(' · <strong>interrupted: the run was interrupted</strong></p>');
    expect(renderHtml({ ...report, interrupted: false })).toContain(' · <strong>incomplete: the run was interrupted</strong></p>');
  });

  it('is one self-contained page: no script, no external resource, a policy that forbids loading any', () => {
    const html = renderHtml(fixtureReport());
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('has a card per connector, a category grid, and every finding with its timeline and replay command', () => {
    const report = fixtureReport();
    const html = renderHtml(report);
    expect(html.match(/<article class="card /g)).toHaveLength(report.connectors.length);
    expect(html.match(/<tr><th scope="row">/g)).toHaveLength(report.connectors.length);
    const findings = report.connectors.flatMap((c) => c.categories.flatMap((category) => category.findings));
    expect(html.match(/<details class="finding /g)).toHaveLength(findings.length);
    expect(html.match(/<svg class="timeline" /g)).toHaveLength(findings.filter((f) => f.evidence.timeline.length > 0).length);
    for (const finding of findings) expect(html).toContain(`replay: <code>${finding.repro.replace(/&/g, '&amp;')}</code>`);
  });

  it('draws the wait a Retry-After asked for beside the wait taken, and says both', () => {
    const html = renderHtml(fixtureReport());
    expect(html).toContain('<title>asked to wait 2000 ms</title>');
    expect(html).toMatch(/<line class="taken short"[^>]*><title>waited \d+ ms<\/title>/);
    expect(html).toMatch(/<li>after request \d+ \(429\): asked 2000 ms, waited \d+ ms<\/li>/);
  });

  it('reads Retry-After as seconds or as an HTTP-date against the response Date', () => {
    const entry = { seq: 1, startMs: 0, endMs: 1, stream: 'api' as const, method: 'GET', path: '/', status: 429, delivery: 'normal' };
    expect(askedWaitMs({ ...entry, headers: { 'Retry-After': '3' } })).toBe(3000);
    expect(askedWaitMs({ ...entry, headers: { 'retry-after': 'Fri, 14 Mar 2025 09:27:03 GMT', date: 'Fri, 14 Mar 2025 09:27:00 GMT' } })).toBe(3000);
    expect(askedWaitMs({ ...entry, headers: { 'retry-after': 'soon' } })).toBeUndefined();
    expect(askedWaitMs(entry)).toBeUndefined();
  });

  it('escapes what connectors and contracts put in it', () => {
    const report = fixtureReport();
    report.connectors[0]!.name = '<img src=x onerror=alert(1)>';
    report.connectors[0]!.categories[1]!.findings[0]!.message = '"</details><script>alert(1)</script>';
    const html = renderHtml(report);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
