export { CRITICAL_CAP, NOT_EXERCISED, gradeFor, scoreConnector } from './score.js';
export type { CheckTally, ScoreInput, ScoreResult } from './score.js';
export { compareWithBaseline, DEFAULT_BASELINE_BUDGET, type BaselineComparison } from './baseline.js';
