#!/usr/bin/env node
// The `holdup` command: hands over to the CLI and exits with its code. Connector and config files
// written in TypeScript are compiled on the fly by the loaders (config/import-module.ts).
import { main } from './main.js';

// `holdup faults | head` closes the pipe early: that is not an error
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2));
// a report on stdout may still be on its way into a pipe (`holdup run -r json | jq`): let it out first
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
// Exit now: a connector that hung may still hold timers or sockets (ky waits ~25 days on a
// malformed Retry-After); holdup has cut it off and written its report, so nothing is lost.
process.exit(code);
