/**
 * A `command` connector made into the connector the runner drives: `create` starts the process
 * for the execution, each operation's `run` is a call over the protocol, and `close` ends the
 * process when the execution is over (docs/command-connectors.md).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { AsyncResource } from 'node:async_hooks';
import path from 'node:path';
import { credentialSecrets, scrubSecretValues, type RedactedSecret } from '../contracts/redact.js';
import { HoldupError, quoted, type CommandConnectorDefinition, type ConnectorDefinition, type LoadedConnector } from '../core/index.js';
import { CommandConnectorError, describeCommand, startCommandProcess, type CommandProcess } from './process.js';

/** `clientSecret` → `CLIENT_SECRET`: the name of a credential's own variable after `HOLDUP_CREDENTIAL_`. */
export function credentialVariable(name: string): string {
  return `HOLDUP_CREDENTIAL_${name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()}`;
}

/** The variables holdup adds to the process's environment. */
export function commandEnvironment(baseUrl: string, credentials: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = { HOLDUP_BASE_URL: baseUrl, HOLDUP_CREDENTIALS: JSON.stringify(credentials) };
  for (const [name, value] of Object.entries(credentials)) env[credentialVariable(name)] = typeof value === 'string' ? value : JSON.stringify(value);
  return env;
}

/** Whether `program` can be started from `cwd`: a path to an executable file, or a name found on `PATH`. */
function findProgram(program: string, cwd: string, searchPath: string | undefined): string | undefined {
  const executable = (file: string): boolean => {
    try {
      if (!statSync(file).isFile()) return false;
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (program.includes('/') || program.includes(path.sep)) {
    const file = path.resolve(cwd, program);
    return executable(file) ? file : undefined;
  }
  const extensions = process.platform === 'win32' ? ['', ...(process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const folder of (searchPath ?? '').split(path.delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      if (executable(path.join(folder, program + extension))) return path.join(folder, program + extension);
    }
  }
  return undefined;
}

/**
 * Checks what can be checked before anything runs — the folder exists, the program is there and
 * executable — and builds the connector. `file` is the connector file as shown, `folder` its folder.
 */
export function commandConnector(
  definition: CommandConnectorDefinition<Record<string, unknown>>,
  where: { file: string; folder: string; contractPath: string },
): LoadedConnector {
  const { command } = definition;
  const cwd = path.resolve(where.folder, command.cwd ?? '.');
  let folderOk = false;
  try {
    folderOk = statSync(cwd).isDirectory();
  } catch {
    folderOk = false;
  }
  if (!folderOk) {
    throw new HoldupError('CONNECTOR_INVALID', `command.cwd ${quoted(command.cwd ?? '.')} is not a folder (${cwd})`, {
      file: where.file,
      path: '$.command.cwd',
      hint: "command.cwd is relative to the connector file's folder",
    });
  }
  const env = { ...process.env, ...command.env };
  const program = command.run[0];
  if (!findProgram(program, cwd, env['PATH'])) {
    const local = program.includes('/') || program.includes(path.sep);
    throw new HoldupError('CONNECTOR_INVALID', `the command's program ${quoted(program)} ${local ? `is not an executable file in ${cwd}` : 'is not an executable on PATH'}`, {
      file: where.file,
      path: '$.command.run[0]',
      hint: local
        ? 'build it first (go build -o …), check the path (relative to command.cwd), or chmod +x it'
        : `install ${program}, or give its path: command.run is started without a shell`,
    });
  }
  const described = describeCommand(command.run);
  const credentials = definition.credentials ?? {};
  // every credential, nested ones too (credentials: { oauth: { clientSecret } }), as holdup record scrubs them
  const secrets: RedactedSecret[] = credentialSecrets(credentials, 'credentials.');
  const scrub = (text: string): string => scrubSecretValues(text, secrets).text;

  const operations: ConnectorDefinition<CommandProcess>['operations'] = {};
  for (const [name, operation] of Object.entries(definition.operations)) {
    operations[name] = { kind: operation.kind, run: (client) => client.call(name, operation.input) };
  }
  const { command: _command, operations: _operations, ...rest } = definition;
  const built: ConnectorDefinition<CommandProcess, Record<string, unknown>> = {
    ...rest,
    operations,
    create: ({ baseUrl, warn }) =>
      startCommandProcess({
        run: command.run,
        cwd,
        env: { ...env, ...commandEnvironment(baseUrl, credentials) },
        warn,
        // its output is the connector's, as console.error and console.log are a TypeScript connector's:
        // stderr is filed as a warning of the execution that started it (src/run/capture.ts)
        stderr: AsyncResource.bind((line: string) => console.error(line)),
        stdout: AsyncResource.bind((line: string) => console.log(line)),
        scrub,
      }),
  };
  return {
    definition: built as ConnectorDefinition,
    file: where.file,
    contractPath: where.contractPath,
    process: {
      command: described,
      close: (client) => (client as CommandProcess).close(),
      unjudged: (error) => (error instanceof CommandConnectorError && error.protocol ? error.message : undefined),
    },
  };
}
