// Preloaded (`--import`) into the Wharf process that `wharf demo` starts with an IPC channel.
// The channel closes when the demo process ends, however it ends (SIGKILL included): Wharf then
// shuts down as on SIGTERM instead of staying behind holding the demo's ports. The channel itself
// must not keep Wharf running.
process.channel?.unref();
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));

export {};
