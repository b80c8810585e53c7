/** The public API of holdup. */
export { defineConfig, defineConnector, runResilience, assertResilient, ResilienceError } from './config/index.js';
export type { RunOptions, UserConfig } from './config/index.js';
export type {
  ConnectorDefinition,
  ConnectorContext,
  OperationDefinition,
  CommandConnectorDefinition,
  CommandOperationDefinition,
  CommandSpec,
  RunReport,
  ConnectorReport,
  CategoryReport,
  Finding,
  Observation,
  RunEvent,
  CategoryId,
} from './core/index.js';
export { HoldupError, isHoldupError } from './core/index.js';
