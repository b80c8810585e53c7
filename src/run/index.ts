export { assembleReport, runPlan, type ReportParts, type RunMode, type RunPlan } from './runner.js';
export { execute, type ExecutionSpec } from './execute.js';
export { toJson } from './to-json.js';
export { fuzz, type FuzzFailure, type FuzzOptions, type FuzzResult } from './fuzz.js';
export { takeStrayWarnings } from './capture.js';
