/**
 * `@wharf/core`: the kernel of Wharf and the contracts plugin authors build on.
 *
 * Providers implement {@link Provider} and export a {@link ProviderPlugin}; middleware plugins
 * implement {@link MiddlewareFactory}. Both are registered through tsyringe under {@link Tokens}.
 *
 * Importing it installs the `reflect-metadata` polyfill that tsyringe needs (first import below),
 * so `import { decodeLabels } from '@wharf/core'` works with nothing loaded before it.
 */
import 'reflect-metadata';
export { Tokens } from './tokens.js';
export { WharfError, ConfigError, ProviderError, HttpError, RuleSyntaxError, errorMessage } from './errors.js';
export { createLogger, silentLogger, type Logger, type LogFields, type LogLevel, type LoggerSettings } from './logger.js';
export { reopenLogFiles, RotatingLogFile, type LogRotation } from './log-file.js';
export type { Provider, ProviderPlugin, PluginContext, EmitConfiguration, ConfigSchemaFragment } from './provider/provider.js';
export { SectionProvider } from './provider/section-provider.js';
export type * from './config/dynamic/types.js';
export { SERVICE_KINDS } from './config/dynamic/types.js';
export { decodeDynamicConfiguration, parseDuration, type DecodeIssue, type DecodeResult } from './config/dynamic/decode.js';
export type * from './config/static/types.js';
export { decodeKeyValues, keyValuesToTree, type KeyValueDecodeResult, type KeyValueOptions, type KeyValuePairs, type KeyValueTree } from './config/dynamic/decode-kv.js';
export { coreStaticSchema, entryPointSchema, StaticFormat, DEFAULT_PROVIDER_PRECEDENCE, type StaticFormatName, type StaticConfigProperty } from './config/static/schema.js';
export { decodeLabels, isExposed, labelServers, labelsWithPrefix, readProviderOptions, parseLabelBool, parseLabelInt, parseLabelDuration, splitLabelList, type LabelDecodeOptions, type LabelDecodeResult, type LabelProviderOptions, type LabelServer } from './labels/index.js';
export type { Handler, NextFunction, MiddlewareFactory, MiddlewareContext, WharfRequest, RequestContext } from './middlewares/middleware-factory.js';
export { expressMiddlewarePlugin, toMiddlewarePlugin, type LoadedMiddlewarePlugin, type MiddlewarePlugin, type PluginHandler } from './middlewares/plugin/middleware-plugin.js';
export { onResponseHead } from './middlewares/response-head.js';
export { basicAuthFactory, type BasicAuthConfig } from './middlewares/basic-auth/index.js';
export { compileRule, canonicalHost, sanitizePath, routingPath, RequestFacts, type CompiledRule, type RuleSyntax } from './rules/index.js';
export { HostIndexedRouteMatcher, defaultPriority, type RouteEntry } from './routing/index.js';
export { fromExpress, type InternalService } from './internal/internal-service.js';
export { RuntimeConfiguration, type ElementStatus, type RouterInfo, type ServiceInfo, type MiddlewareInfo } from './runtime/runtime-configuration.js';
export { RuntimeState, type ReloadEvent } from './runtime/runtime-state.js';
export { mergeSnapshots, qualify } from './runtime/merge.js';
export { ELEMENT_KIND, UNSERVED_SECTIONS, type ElementSection } from './runtime/provider-snapshot.js';
export { ConfigurationWatcher, canonicalJson } from './watcher/configuration-watcher.js';
export { Wharf } from './server/wharf.js';
export { InternalProvider } from './internal/internal-provider.js';
export { PrometheusMetrics } from './observability/prometheus-metrics.js';
export { toSnapshotMessage, fromSnapshotMessage, type SnapshotMessage } from './cluster/snapshot-message.js';
export { resolveWorkerCount, cgroupCpuLimit, type CpuQuotaFiles } from './cluster/worker-count.js';
export { aggregateWorkerMetrics, type WorkerMetrics } from './cluster/cluster-metrics.js';
export type { RequestObserver, RequestOutcome } from './server/request-observer.js';
export { parseAddress } from './server/entry-point.js';
export { register, builtinMiddlewareFactories } from './register.js';
