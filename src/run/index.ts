export { runPlan, type RunMode, type RunPlan } from './runner.js';
export { execute, DEFAULT_DEADLINE_MS, type ExecutionSpec } from './execute.js';
export { toJson } from './to-json.js';
