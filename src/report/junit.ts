/**
 * The junit reporter: `junit.xml`, one `<testsuite>` per connector, one `<testcase>` per check
 * (`classname="<connector>.<category>"`), a skipped test case per category not run or not
 * applicable, and a failing `control` test case for an invalid connector.
 */
import type { CategoryReport, ConnectorReport, RunReport } from '../core/report.js';
import { detailsText, faultsLine, formatScore, formatTimeline, plural, SEVERITY_ORDER, statusLabel, stoppedWord } from './format.js';
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

/** Which JUnit dialect: what Jenkins, GitLab and most CI read, or the strict Ant schema (no skipped test cases). */
export type JunitFlavour = 'jenkins' | 'ant';

interface Case {
  /** `<testcase …>` and its children, or nothing (a skipped case in the Ant dialect, which has no skipped element). */
  xml: string[];
  failed: boolean;
  /** Why it was not judged (not exercised, not run, not applicable); undefined when it was. */
  skipped: string | undefined;
  /** Text for the suite's system-out (the Ant dialect allows no output inside a test case). */
  out: string | undefined;
  seconds: number;
}

const seconds = (ms: number | undefined): number => (ms ?? 0) / 1000;
const time = (value: number): string => value.toFixed(3);

function testcase(classname: string, name: string, value: number): string {
  return `<testcase${attrs({ classname, name, time: time(value) })}`;
}

/** A case that was not judged: a skipped element (Jenkins, as text: junit-4 allows no attribute on it), or a line in the suite's output (Ant). */
function skippedCase(classname: string, name: string, why: string, flavour: JunitFlavour): Case {
  if (flavour === 'ant') return { xml: [], failed: false, skipped: why, out: `skipped ${classname} ${name}: ${why}`, seconds: 0 };
  return { xml: [`${testcase(classname, name, 0)}>`, `  <skipped>${escapeXmlText(why)}</skipped>`, '</testcase>'], failed: false, skipped: why, out: undefined, seconds: 0 };
}

function checkCase(connector: ConnectorReport, category: CategoryReport, check: CategoryReport['checks'][number], flavour: JunitFlavour): Case {
  const classname = `${connector.name}.${category.id}`;
  const open = testcase(classname, check.id, seconds(check.durationMs));
  const findings = category.findings
    .filter((finding) => finding.check === check.id)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const body = findings.map(findingText).join('\n\n');
  const passes = `${check.passes}/${plural(check.executions, 'execution')} passed`;
  if (check.notExercised !== undefined) return skippedCase(classname, check.id, `not exercised: ${check.notExercised}`, flavour);
  const base = { skipped: undefined, seconds: seconds(check.durationMs) };
  if (check.passed) {
    if (body === '') return { ...base, xml: [`${open}/>`], failed: false, out: undefined };
    if (flavour === 'ant') return { ...base, xml: [`${open}/>`], failed: false, out: `${classname} ${check.id}:\n${body}` };
    return { ...base, xml: [`${open}>`, `  <system-out>${escapeXmlText(body)}</system-out>`, '</testcase>'], failed: false, out: undefined };
  }
  const first = findings[0];
  const more = findings.length > 1 ? ` (and ${plural(findings.length - 1, 'more finding')})` : '';
  const message = first === undefined ? `check failed: ${passes}` : `${first.code} ${first.message}${more}`;
  const type = first?.code ?? check.id;
  const text = `${check.critical ? 'critical check' : 'check'} ${check.id}: ${passes}\n\n${body || 'no finding recorded'}`;
  return {
    ...base,
    xml: [`${open}>`, `  <failure${attrs({ message, type })}>${escapeXmlText(text)}</failure>`, '</testcase>'],
    failed: true,
    out: undefined,
  };
}

function connectorCases(connector: ConnectorReport, flavour: JunitFlavour): Case[] {
  if (!connector.valid) {
    const reason = connector.invalidReason ?? 'the control execution failed';
    return [
      {
        xml: [
          `${testcase(connector.name, 'control', 0)}>`,
          `  <failure${attrs({ message: reason, type: 'invalid-connector' })}>${escapeXmlText(
            `the control execution (no faults) failed:\n${reason}`,
          )}</failure>`,
          '</testcase>',
        ],
        failed: true,
        skipped: undefined,
        out: undefined,
        seconds: 0,
      },
    ];
  }
  return connector.categories.flatMap((category): Case[] => {
    if (category.status === 'not-run' || category.status === 'not-applicable') {
      return [skippedCase(`${connector.name}.${category.id}`, category.id, `${statusLabel(category.status)}: ${category.reason ?? 'no reason given'}`, flavour)];
    }
    return category.checks.map((check) => checkCase(connector, category, check, flavour));
  });
}

/**
 * The whole `junit.xml` document, in one of two dialects, each valid against its schemas (tested
 * with xmllint): `jenkins` (Jenkins' junit-4 and the xUnit plugin's junit-10 XSDs; what Jenkins,
 * GitLab, GitHub test reporters and most CI read) keeps a skipped test case for each check or
 * category that judged nothing; `ant` (the Apache Ant JUnit XSD) has no skipped element, so those
 * are lines of the suite's system-out instead. Every test case has a time: how long the
 * executions its check judged took (0 for what ran nothing of its own); a suite's time is the
 * run's, since connectors run side by side.
 */
export function renderJunit(report: RunReport, flavour: JunitFlavour = 'jenkins'): string {
  // UTC to the second, without zone: the one form Ant's schema accepts, and the one Jenkins parses
  const startedAt = report.startedAt.slice(0, 19);
  const suites = report.connectors.map((connector, index) => {
    const cases = connectorCases(connector, flavour);
    const counted = cases.filter((c) => c.xml.length > 0);
    const properties: Array<[string, string]> = [
      ['contract', connector.contract],
      ['valid', String(connector.valid)],
      ['score', connector.score === null ? '' : formatScore(connector.score)],
      ['grade', connector.grade ?? ''],
      ['gate', connector.gate],
      ['seed', String(report.seed)],
      // a run that did not finish: `interrupted` (Ctrl-C) or `incomplete` (the harness failed), and why
      ...(report.complete ? [] : [[stoppedWord(report) ?? 'incomplete', report.incompleteReason ?? 'no reason given'] as [string, string]]),
    ];
    const out = cases.flatMap((c) => (c.out === undefined ? [] : [c.out])).join('\n');
    return {
      cases: counted,
      xml: [
        `  <testsuite${attrs({
          name: connector.name,
          tests: counted.length,
          failures: counted.filter((c) => c.failed).length,
          errors: 0,
          ...(flavour === 'jenkins' ? { skipped: counted.filter((c) => c.skipped !== undefined).length } : {}),
          time: time(report.durationMs / 1000),
          timestamp: startedAt,
          hostname: 'localhost',
          id: index,
          package: 'holdup',
        })}>`,
        '    <properties>',
        ...properties.map(([name, value]) => `      <property${attrs({ name, value })}/>`),
        '    </properties>',
        ...counted.flatMap((c) => c.xml.map((line) => `    ${line}`)),
        ...(flavour === 'ant' ? [`    <system-out>${escapeXmlText(out)}</system-out>`, '    <system-err></system-err>'] : []),
        '  </testsuite>',
      ],
    };
  });
  const all = suites.flatMap((suite) => suite.cases);
  const root =
    flavour === 'ant'
      ? '<testsuites>'
      : `<testsuites${attrs({
          name: `holdup run ${report.runId} (seed ${report.seed}${report.complete ? '' : `, ${stoppedWord(report) ?? 'incomplete'}`})`,
          tests: all.length,
          failures: all.filter((c) => c.failed).length,
          errors: 0,
          time: time(report.durationMs / 1000),
        })}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', root, ...suites.flatMap((suite) => suite.xml), '</testsuites>', ''].join('\n');
}

export function createJunitReporter(): Reporter {
  return { name: 'junit', output: { file: JUNIT_FILE, render: (report) => renderJunit(report, 'jenkins') } };
}

export const JUNIT_ANT_FILE = 'junit-ant.xml';

/** The same results in the strict Apache Ant dialect (see `renderJunit`). */
export function createJunitAntReporter(): Reporter {
  return { name: 'junit-ant', output: { file: JUNIT_ANT_FILE, render: (report) => renderJunit(report, 'ant') } };
}
