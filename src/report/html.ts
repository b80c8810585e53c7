/**
 * The html reporter: `report.html`, one self-contained file (no script, no font, no request of
 * any kind) a person would rather look at than read: a card per connector with its score and
 * grade, a grid of categories, and for each finding its request timeline drawn on a time axis —
 * requests as bars, the faults injected, and after a response that asked to wait
 * (`Retry-After`), the wait asked for beside the wait taken — with the command that replays it.
 * Findings fold (`<details>`), so the page works from the keyboard alone.
 */
import { parseRetryAfter } from '../checks/waits.js';
import type { CategoryReport, ConnectorReport, RunReport } from '../core/report.js';
import { categoryScore, formatScore, gateWord, networkEngineText, plural, sortedFindings, statusLabel, stoppedWord } from './format.js';
import type { Reporter, ReportFinding, ReportTimelineEntry } from './types.js';

export const HTML_FILE = 'report.html';
/** Requests drawn per timeline; longer ones keep their first and last ones (the text lists them all). */
export const HTML_TIMELINE_ROWS = 40;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** An id made of a name: letters, digits and dashes. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
}

/** The wait a response asked for, in ms: `Retry-After` read as the checks read it, an HTTP-date against the response's own `Date`. */
export function askedWaitMs(entry: ReportTimelineEntry): number | undefined {
  const headers = Object.fromEntries(Object.entries(entry.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const parsed = headers['retry-after'] === undefined ? undefined : parseRetryAfter(headers['retry-after']);
  if (parsed === undefined || 'waitMs' in parsed) return parsed?.waitMs;
  const now = headers['date'] === undefined ? Number.NaN : Date.parse(headers['date']);
  return Number.isNaN(now) ? undefined : Math.max(0, parsed.atEpochMs - now);
}

function barClass(entry: ReportTimelineEntry): string {
  if (entry.fault !== undefined || entry.network !== undefined) return 'fault';
  if (entry.status === undefined) return 'none';
  return entry.status < 400 ? 'ok' : 'error';
}

function entryLabel(entry: ReportTimelineEntry): string {
  const status = entry.status === undefined ? `no response (${entry.delivery})` : String(entry.status);
  return `${entry.method} ${entry.path} → ${status}${entry.fault ? ` [${entry.fault}]` : ''}${entry.network ? ` (${entry.network})` : ''}`;
}

/** The timeline as an SVG: one row per request on a shared time axis, waits asked and taken after each Retry-After. */
function timelineSvg(timeline: readonly ReportTimelineEntry[], label: string): string {
  if (timeline.length === 0) return '<p class="muted">No request reached the upstream.</p>';
  const rows = timeline.length <= HTML_TIMELINE_ROWS ? [...timeline] : [...timeline.slice(0, HTML_TIMELINE_ROWS - 5), ...timeline.slice(-5)];
  const waits = rows.flatMap((entry, index) => {
    const asked = askedWaitMs(entry);
    const next = timeline[timeline.indexOf(entry) + 1];
    return asked === undefined ? [] : [{ row: index, from: entry.endMs, asked, taken: next === undefined ? undefined : next.startMs - entry.endMs }];
  });
  const end = Math.max(1, ...rows.map((entry) => entry.endMs), ...waits.map((wait) => wait.from + Math.max(wait.asked, wait.taken ?? 0)));
  const width = 640;
  const left = 8;
  const rowHeight = 14;
  const top = 18;
  const height = top + rows.length * rowHeight + 8;
  const x = (ms: number): number => left + (Math.max(0, ms) / end) * (width - 2 * left);
  const ticks = Array.from({ length: 5 }, (_, n) => (end * n) / 4);
  const parts = [
    `<svg class="timeline" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(label)}">`,
    ...ticks.map((ms, n) => {
      const anchor = n === 0 ? 'start' : n === ticks.length - 1 ? 'end' : 'middle';
      return `<g class="tick"><line x1="${x(ms).toFixed(1)}" y1="12" x2="${x(ms).toFixed(1)}" y2="${height - 4}"/><text x="${x(ms).toFixed(1)}" y="10" text-anchor="${anchor}">${esc(formatMs(ms))}</text></g>`;
    }),
    ...rows.map((entry, index) => {
      const y = top + index * rowHeight;
      const start = x(entry.startMs);
      const barWidth = Math.max(2, x(entry.endMs) - start);
      return `<rect class="bar ${barClass(entry)}${entry.highlight ? ' highlight' : ''}" x="${start.toFixed(1)}" y="${y}" width="${barWidth.toFixed(1)}" height="${rowHeight - 4}"><title>${esc(`+${Math.round(entry.startMs)} ms ${entryLabel(entry)}`)}</title></rect>`;
    }),
    ...waits.map((wait) => {
      const y = top + wait.row * rowHeight + rowHeight - 2;
      const asked = `<line class="asked" x1="${x(wait.from).toFixed(1)}" y1="${y}" x2="${x(wait.from + wait.asked).toFixed(1)}" y2="${y}"><title>${esc(`asked to wait ${formatMs(wait.asked)}`)}</title></line>`;
      const taken =
        wait.taken === undefined
          ? ''
          : `<line class="taken${wait.taken + 1 < wait.asked ? ' short' : ''}" x1="${x(wait.from).toFixed(1)}" y1="${y + 2}" x2="${x(wait.from + wait.taken).toFixed(1)}" y2="${y + 2}"><title>${esc(`waited ${formatMs(wait.taken)}`)}</title></line>`;
      return asked + taken;
    }),
    '</svg>',
  ];
  return parts.join('');
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${formatScore(Math.round(ms / 100) / 10)} s` : `${Math.round(ms)} ms`;
}

function waitsText(timeline: readonly ReportTimelineEntry[]): string {
  const lines = timeline.flatMap((entry, index) => {
    const asked = askedWaitMs(entry);
    if (asked === undefined) return [];
    const next = timeline[index + 1];
    const taken = next === undefined ? 'no request followed' : `waited ${formatMs(next.startMs - entry.endMs)}`;
    return [`<li>after request ${entry.seq} (${esc(String(entry.status ?? ''))}): asked ${formatMs(asked)}, ${taken}</li>`];
  });
  return lines.length === 0 ? '' : `<ul class="waits">${lines.join('')}</ul>`;
}

function findingHtml(connector: ConnectorReport, category: CategoryReport, finding: ReportFinding): string {
  const timeline = finding.evidence.timeline;
  const label = `Requests of ${finding.scenario} × ${finding.operation} on a time axis`;
  return [
    `<details class="finding ${finding.severity}">`,
    `<summary><span class="code">${esc(finding.code)}</span> <span class="sev">${esc(finding.severity)}</span> <span class="check">${esc(finding.check)}</span> <span class="where">${esc(category.id)} · ${esc(finding.scenario)} × ${esc(finding.operation)}</span></summary>`,
    `<p class="message">${esc(finding.message)}</p>`,
    timelineSvg(timeline, label),
    `<p class="legend"><span class="key ok">response</span> <span class="key error">error response</span> <span class="key fault">fault injected</span> <span class="key asked">wait asked</span> <span class="key taken">wait taken</span></p>`,
    waitsText(timeline),
    `<ol class="requests">${timeline.map((entry) => `<li${entry.highlight ? ' class="highlight"' : ''}>+${Math.round(entry.startMs)} ms ${esc(entryLabel(entry))}</li>`).join('')}</ol>`,
    finding.evidence.omitted ? `<p class="muted">${plural(finding.evidence.omitted, 'more request')} left out of the report.</p>` : '',
    `<p class="outcome">outcome: ${esc(finding.evidence.outcome)}</p>`,
    `<p class="replay">replay: <code>${esc(finding.repro)}</code></p>`,
    `</details>`,
  ].join('\n');
}

function connectorCard(connector: ConnectorReport): string {
  const score = connector.valid ? (connector.score === null ? '—' : formatScore(connector.score)) : 'invalid';
  const grade = connector.grade ?? '—';
  const findings = connector.categories.reduce((sum, category) => sum + category.findings.length, 0);
  return [
    `<article class="card grade-${esc(grade)} gate-${connector.gate}">`,
    `<h2><a href="#c-${slug(connector.name)}">${esc(connector.name)}</a></h2>`,
    `<p class="score"><span class="value">${esc(score)}</span> <span class="grade" aria-label="grade ${esc(grade)}">${esc(grade)}</span></p>`,
    `<p>gate ${connector.gate === 'pass' ? 'passed' : 'failed'} · ${plural(findings, 'finding')}${connector.coverage !== null && connector.coverage < 100 ? ` · coverage ${formatScore(connector.coverage)} %` : ''}</p>`,
    connector.valid ? '' : `<p class="reason">${esc(connector.invalidReason ?? 'its control execution failed')}</p>`,
    `</article>`,
  ].join('\n');
}

function grid(report: RunReport): string {
  const ids = report.connectors[0]?.categories.map((category) => category.id) ?? [];
  const head = `<tr><th scope="col">connector</th>${ids.map((id) => `<th scope="col">${esc(id)}</th>`).join('')}</tr>`;
  const rows = report.connectors.map((connector) => {
    const cells = ids.map((id) => {
      const category = connector.categories.find((c) => c.id === id);
      if (!category) return '<td class="status-none">—</td>';
      const title = category.reason ? ` title="${esc(category.reason)}"` : '';
      return `<td class="status-${category.status}"${title}>${esc(statusLabel(category.status))}<br><b>${esc(categoryScore(category))}</b></td>`;
    });
    return `<tr><th scope="row"><a href="#c-${slug(connector.name)}">${esc(connector.name)}</a></th>${cells.join('')}</tr>`;
  });
  return `<table class="grid"><caption>Categories: status and score</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function connectorSection(connector: ConnectorReport): string {
  const findings = sortedFindings(connector);
  return [
    `<section id="c-${slug(connector.name)}" aria-labelledby="h-${slug(connector.name)}">`,
    `<h2 id="h-${slug(connector.name)}">${esc(connector.name)} <span class="muted">${esc(connector.file)} · ${esc(connector.contract)}</span></h2>`,
    findings.length === 0 ? '<p>No finding.</p>' : findings.map(({ category, finding }) => findingHtml(connector, category, finding)).join('\n'),
    `</section>`,
  ].join('\n');
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#5b6470;--line:#d0d7de;--ok:#1a7f37;--err:#cf222e;--fault:#bc4c00;--warn:#9a6700;--card:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--card:#161b22;--ok:#3fb950;--err:#f85149;--fault:#db6d28;--warn:#d29922}}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
header,main{max-width:1100px;margin:0 auto;padding:16px 24px}h1{margin:.2em 0}.muted{color:var(--muted);font-weight:normal;font-size:.85em}
a{color:inherit}a:focus-visible,summary:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}.card h2{margin:0;font-size:1.05em}
.score .value{font-size:2.2em;font-weight:600}.grade{display:inline-block;min-width:1.8em;text-align:center;border-radius:6px;padding:0 .3em;font-weight:700;color:#fff;background:var(--muted)}
.grade-A .grade{background:var(--ok)}.grade-B .grade{background:#4d8a2c}.grade-C .grade{background:var(--warn)}.grade-D .grade,.grade-F .grade{background:var(--err)}
.gate-fail{border-left:4px solid var(--err)}.gate-pass{border-left:4px solid var(--ok)}
table.grid{border-collapse:collapse;width:100%;font-size:.85em;margin:16px 0}.grid th,.grid td{border:1px solid var(--line);padding:4px 6px;text-align:center}
.status-pass{color:var(--ok)}.status-fail{color:var(--err)}.status-not-run,.status-not-applicable,.status-not-exercised{color:var(--muted)}
details.finding{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}details.finding[open]{background:var(--card)}
summary{cursor:pointer}.code{font-family:ui-monospace,monospace;font-weight:600}.sev{font-size:.8em;text-transform:uppercase}
.critical .sev,.error .sev{color:var(--err)}.warning .sev{color:var(--warn)}.where{color:var(--muted)}
svg.timeline{max-width:760px;display:block;margin:8px 0}.tick line{stroke:var(--line)}.tick text{font-size:9px;fill:var(--muted)}
.bar.ok{fill:var(--ok)}.bar.error{fill:var(--err)}.bar.fault{fill:var(--fault)}.bar.none{fill:var(--muted)}.bar.highlight{stroke:var(--fg);stroke-width:1}
line.asked{stroke:var(--warn);stroke-width:2;stroke-dasharray:4 2}line.taken{stroke:var(--fg);stroke-width:2}line.taken.short{stroke:var(--err)}
.legend{font-size:.8em;color:var(--muted)}.key::before{content:"";display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle;background:var(--muted)}
.key.ok::before{background:var(--ok)}.key.error::before{background:var(--err)}.key.fault::before{background:var(--fault)}.key.asked::before{background:var(--warn)}.key.taken::before{background:var(--fg)}
ol.requests{font-family:ui-monospace,monospace;font-size:.8em;max-height:16em;overflow:auto}ol.requests .highlight{font-weight:700}
code{font-family:ui-monospace,monospace;background:var(--card);padding:1px 4px;border-radius:4px;word-break:break-all}
`;

/** The whole `report.html`. */
export function renderHtml(report: RunReport): string {
  const gate = gateWord(report.gate);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // nothing may load from anywhere: the file is read offline, from a CI artifact
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>holdup: gate ${esc(gate)} — ${esc(report.runId)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>holdup: gate ${esc(gate)}</h1>`,
    `<p class="muted">run ${esc(report.runId)} · seed ${report.seed} · ${plural(report.connectors.length, 'connector')} · ${formatMs(report.durationMs)} · network engine ${esc(networkEngineText(report.networkEngine))} · holdup ${esc(report.holdupVersion)}${report.complete ? '' : ` · <strong>${stoppedWord(report) ?? ''}: ${esc(report.incompleteReason ?? 'interrupted')}</strong>`}</p>`,
    report.gate.reasons.length > 0 ? `<details><summary>Why the gate ${report.gate.passed ? 'passed' : 'failed'} (${report.gate.reasons.length})</summary><ul>${report.gate.reasons.map((reason) => `<li>${esc(reason)}</li>`).join('')}</ul></details>` : '',
    '</header>',
    '<main>',
    `<section class="cards" aria-label="Connectors">${report.connectors.map(connectorCard).join('\n')}</section>`,
    grid(report),
    ...report.connectors.map(connectorSection),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function createHtmlReporter(): Reporter {
  return { name: 'html', output: { file: HTML_FILE, render: renderHtml } };
}
