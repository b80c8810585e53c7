export { defineConfig, defineConnector } from './define.js';
export { ConfigSchema, ConnectorDefinitionSchema, type Config, type UserConfig } from './schema.js';
export { findConfig, loadConnectors, loadScenarios, loadConnectorFile, display, type FoundConfig } from './load.js';
export { newRunId, prepareFromConfig, prepareRun, runResilience, assertResilient, ResilienceError, HOLDUP_VERSION, type RunOptions, type PreparedRun } from './api.js';
export { loadReportFile } from './report-file.js';
