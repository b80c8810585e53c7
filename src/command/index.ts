export { commandConnector, commandEnvironment, credentialVariable } from './connector.js';
export { CommandConnectorError, describeCommand, startCommandProcess, MAX_MESSAGE_BYTES, type CommandProcess } from './process.js';
export { ProcessMessageSchema, type CallMessage, type ProcessMessage } from './protocol.js';
