#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEcsEmulator } from './emulator.js';
import { applySeed, type EmulatorSeed } from './seed.js';

const USAGE = `Usage: wharf-ecs-emulator [--port 4566] [--host 127.0.0.1] [--region us-east-1] [--account 123456789012] [--seed seed.json]

Serves the ECS, EC2 and SSM APIs (SigV4-verified), the container-credentials endpoint
(/v2/credentials/<id>) and task metadata v4 (/v4/<id>) on one HTTP port.
Without credentials in the seed, a key pair is issued and printed.
`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      region: { type: 'string', default: 'us-east-1' },
      account: { type: 'string', default: '123456789012' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`--port must be 0-65535, got ${values.port}`);
  const seed = values.seed === undefined ? {} : (JSON.parse(await readFile(values.seed, 'utf8')) as EmulatorSeed);
  const emulator = await startEcsEmulator({ port, host: values.host, region: values.region, accountId: values.account });
  const result = applySeed(emulator, seed);
  const lines = [
    `wharf-ecs-emulator listening on ${emulator.url} (region ${emulator.region})`,
    `AWS_ENDPOINT_URL=${emulator.url}`,
    `AWS_REGION=${emulator.region}`,
  ];
  if ((seed.credentials ?? []).length === 0) {
    const credentials = emulator.issueCredentials();
    lines.push(`AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`, `AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`);
  }
  for (const role of result.taskRoles) lines.push(`AWS_CONTAINER_CREDENTIALS_FULL_URI=${role.fullUri}`);
  lines.push(`tasks: ${result.tasks.length}, container instances: ${result.containerInstances.length}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`wharf-ecs-emulator: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  },
);
