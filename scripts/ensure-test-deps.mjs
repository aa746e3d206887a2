#!/usr/bin/env node
// Makes sure the system packages the test suite needs are present before it runs: Debian's
// chromium for the dashboard's browser test (playwright-core drives it; no browser is ever
// downloaded). Installs it with apt-get when running as root, else says what to run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() === 0) {
    process.stderr.write('Installing Debian chromium for the dashboard browser test...\n');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-liberation'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    process.stderr.write(`The dashboard test needs Debian's chromium at ${CHROMIUM}: run \`sudo apt-get install chromium\` first.\n`);
    process.exit(1);
  }
}
