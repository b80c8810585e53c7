#!/usr/bin/env node
// The `holdup` command. Registers tsx so that connector and config files written in
// TypeScript load directly (no build step for users), then hands over to the CLI.
import { register } from 'tsx/esm/api';

// `holdup faults | head` closes the pipe early: that is not an error
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

register();
const { main } = await import('./main.ts');
const code = await main(process.argv.slice(2));
// Exit now: a connector that hung may still hold timers or sockets (ky waits ~25 days on a
// malformed Retry-After); holdup has cut it off and written its report, so nothing is lost.
process.exit(code);
