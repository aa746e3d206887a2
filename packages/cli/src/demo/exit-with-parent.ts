// Preloaded (`--import`) into the Wharf process that `wharf demo` starts with an IPC channel.
// The channel closes when the demo process ends, however it ends (SIGKILL included): Wharf then
// shuts down as on SIGTERM instead of staying behind holding the demo's ports. The channel itself
// must not keep Wharf running. Wharf's cluster workers inherit the preload (execArgv), but their
// channel is the cluster's: they are left alone.
import cluster from 'node:cluster';

if (cluster.isPrimary && process.channel) {
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
