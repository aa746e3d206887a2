#!/usr/bin/env node
import 'reflect-metadata';
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// Writes to a pipe are asynchronous: let stdout and stderr drain before exiting, or long output
// such as --help is cut short.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
