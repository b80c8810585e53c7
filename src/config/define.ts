import type { CommandConnectorDefinition, ConnectorDefinition } from '../core/index.js';
import type { UserConfig } from './schema.js';

/** Identity: gives a config file its types. Every default is filled in by `resolveConfig`. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/** Identity: gives a connector file its types (the client type flows from `create` to each `run`). */
export function defineConnector<Client, Credentials = Record<string, string>>(
  definition: ConnectorDefinition<Client, Credentials>,
): ConnectorDefinition<Client, Credentials>;
/** A connector in another language: holdup starts `command` and calls its operations over JSON lines (docs/command-connectors.md). */
export function defineConnector<Credentials = Record<string, string>>(
  definition: CommandConnectorDefinition<Credentials>,
): CommandConnectorDefinition<Credentials>;
export function defineConnector(definition: unknown): unknown {
  return definition;
}
