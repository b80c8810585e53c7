import path from 'node:path';
import { loadReportFile } from '../config/index.js';
import { EXIT, type ExitCode } from '../core/index.js';
import { baselineText } from '../report/index.js';
import { compareWithBaseline } from '../score/index.js';
import { parseCommand, points, twoFiles } from './commands.js';
import type { CliIo } from './io.js';

/** `holdup compare BASELINE.json REPORT.json`: what got better and worse; exits 1 when anything got worse. */
export async function compareCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommand('compare', args);
  const [baselineFile, reportFile] = twoFiles(positionals, 'holdup compare takes two run reports, BASELINE and REPORT', 'holdup compare main/report.json reports/latest/report.json');
  const baseline = await loadReportFile(path.resolve(io.cwd, baselineFile), baselineFile);
  const report = await loadReportFile(path.resolve(io.cwd, reportFile), reportFile);
  const comparison = compareWithBaseline(baseline, report, points(values['baseline-budget'], '--baseline-budget'));
  const result = { file: baselineFile, passed: comparison.regressions.length === 0, ...comparison };
  io.out.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : baselineText(result));
  return result.passed ? EXIT.ok : EXIT.gateFailed;
}
