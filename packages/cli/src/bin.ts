#!/usr/bin/env -S node --max-semi-space-size=64
// The shebang's flag gives V8 a larger young generation: a proxy allocates many short-lived
// objects per request, and with the default size those of in-flight requests get promoted and the
// old generation (which holds the configuration: 10,000 routers) is marked again and again.
// Measured in bench/: about +15% throughput with 1 router and +35% with 10,000. V8 reads the flag
// only at start-up, so it has to be on the command line (or NODE_OPTIONS); `pnpm wharf` and
// `wharf demo` pass it too.
import 'reflect-metadata';
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// Writes to a pipe are asynchronous: let stdout and stderr drain before exiting, or long output
// such as --help is cut short.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
