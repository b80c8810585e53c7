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
// Exit now: a connector that hung may still hold timers or sockets (ky waits ~25 days on a
// malformed Retry-After); holdup has cut it off and written its report, so nothing is lost.
process.exit(code);
