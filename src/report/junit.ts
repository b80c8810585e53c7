/**
 * The junit reporter: `junit.xml`, one `<testsuite>` per connector, one `<testcase>` per check
 * (`classname="<connector>.<category>"`), a skipped test case per category not run or not
 * applicable, and a failing `control` test case for an invalid connector.
 */
import type { CategoryReport, ConnectorReport, RunReport } from '../core/report.js';
import { detailsText, faultsLine, formatScore, formatTimeline, plural, SEVERITY_ORDER, statusLabel } from './format.js';
import type { Reporter, ReportFinding } from './types.js';

export const JUNIT_FILE = 'junit.xml';

/**
 * Text made safe for XML 1.0: characters XML cannot hold at all (control characters other than
 * tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF) are written as visible
 * `\uXXXX` text, so nothing is lost and the file stays well-formed.
 */
function xmlSafe(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot hold are exactly what is matched
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Escapes element text. */
export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); tabs and line breaks are kept as character references. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

function findingText(finding: ReportFinding): string {
  return [
    `${finding.code} [${finding.severity}] ${finding.check}: ${finding.scenario} × ${finding.operation}`,
    finding.message,
    ...formatTimeline(finding.evidence.timeline).map((line) => `  ${line}`),
    `outcome: ${finding.evidence.outcome}`,
    ...(finding.evidence.details === undefined ? [] : [`details: ${detailsText(finding.evidence.details)}`]),
    ...(faultsLine(finding) === undefined ? [] : [faultsLine(finding) ?? '']),
    `replay: ${finding.repro}`,
  ].join('\n');
}

interface Case {
  xml: string[];
  failed: boolean;
  skipped: boolean;
}

function checkCase(connector: ConnectorReport, category: CategoryReport, check: CategoryReport['checks'][number]): Case {
  const open = `<testcase${attrs({ classname: `${connector.name}.${category.id}`, name: check.id })}`;
  const findings = category.findings
    .filter((finding) => finding.check === check.id)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const body = findings.map(findingText).join('\n\n');
  const passes = `${check.passes}/${plural(check.executions, 'execution')} passed`;
  if (check.notExercised !== undefined) {
    return {
      xml: [`${open}>`, `  <skipped${attrs({ message: `not exercised: ${check.notExercised}` })}/>`, '</testcase>'],
      failed: false,
      skipped: true,
    };
  }
  if (check.passed) {
    if (body === '') return { xml: [`${open}/>`], failed: false, skipped: false };
    return {
      xml: [`${open}>`, `  <system-out>${escapeXmlText(body)}</system-out>`, '</testcase>'],
      failed: false,
      skipped: false,
    };
  }
  const first = findings[0];
  const more = findings.length > 1 ? ` (and ${plural(findings.length - 1, 'more finding')})` : '';
  const message = first === undefined ? `check failed: ${passes}` : `${first.code} ${first.message}${more}`;
  const type = first?.code ?? check.id;
  const text = `${check.critical ? 'critical check' : 'check'} ${check.id}: ${passes}\n\n${body || 'no finding recorded'}`;
  return {
    xml: [
      `${open}>`,
      `  <failure${attrs({ message, type })}>${escapeXmlText(text)}</failure>`,
      '</testcase>',
    ],
    failed: true,
    skipped: false,
  };
}

function connectorCases(connector: ConnectorReport): Case[] {
  if (!connector.valid) {
    const reason = connector.invalidReason ?? 'the control execution failed';
    return [
      {
        xml: [
          `<testcase${attrs({ classname: connector.name, name: 'control' })}>`,
          `  <failure${attrs({ message: reason, type: 'invalid-connector' })}>${escapeXmlText(
            `the control execution failed, so the contract and the connector disagree:\n${reason}`,
          )}</failure>`,
          '</testcase>',
        ],
        failed: true,
        skipped: false,
      },
    ];
  }
  return connector.categories.flatMap((category): Case[] => {
    if (category.status === 'not-run' || category.status === 'not-applicable') {
      const message = `${statusLabel(category.status)}: ${category.reason ?? 'no reason given'}`;
      return [
        {
          xml: [
            `<testcase${attrs({ classname: `${connector.name}.${category.id}`, name: category.id })}>`,
            `  <skipped${attrs({ message })}/>`,
            '</testcase>',
          ],
          failed: false,
          skipped: true,
        },
      ];
    }
    return category.checks.map((check) => checkCase(connector, category, check));
  });
}

/** The whole `junit.xml` document. */
export function renderJunit(report: RunReport): string {
  const suites = report.connectors.map((connector) => {
    const cases = connectorCases(connector);
    const properties: Array<[string, string]> = [
      ['contract', connector.contract],
      ['valid', String(connector.valid)],
      ['score', connector.score === null ? '' : formatScore(connector.score)],
      ['grade', connector.grade ?? ''],
      ['gate', connector.gate],
    ];
    return {
      cases,
      xml: [
        `  <testsuite${attrs({
          name: connector.name,
          tests: cases.length,
          failures: cases.filter((c) => c.failed).length,
          errors: 0,
          skipped: cases.filter((c) => c.skipped).length,
          timestamp: report.startedAt,
        })}>`,
        '    <properties>',
        ...properties.map(([name, value]) => `      <property${attrs({ name, value })}/>`),
        '    </properties>',
        ...cases.flatMap((c) => c.xml.map((line) => `    ${line}`)),
        '  </testsuite>',
      ],
    };
  });
  const all = suites.flatMap((suite) => suite.cases);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({
      name: `holdup run ${report.runId} (seed ${report.seed})`,
      tests: all.length,
      failures: all.filter((c) => c.failed).length,
      errors: 0,
      skipped: all.filter((c) => c.skipped).length,
      time: (report.durationMs / 1000).toFixed(3),
    })}>`,
    ...suites.flatMap((suite) => suite.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

export function createJunitReporter(): Reporter {
  return { name: 'junit', output: { file: JUNIT_FILE, render: renderJunit } };
}
