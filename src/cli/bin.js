#!/usr/bin/env node
// The `holdup` command. Registers tsx so that connector and config files written in
// TypeScript load directly (no build step for users), then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
