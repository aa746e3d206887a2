import type { CliIo } from './main.js';

/** `wharf demo`: see the ECS provider issue; replaced by the full demo. */
export async function runDemo(_args: string[], io: CliIo, _env: NodeJS.ProcessEnv, _cwd: string): Promise<number> {
  io.err('wharf demo: not available yet');
  return 1;
}
