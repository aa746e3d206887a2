/**
 * DI tokens of `@wharf/core`. Each stands for the interface of the same name.
 */
export const Tokens = {
  /** {@link Logger}: the process logger. */
  Logger: Symbol.for('@wharf/core:Logger'),
  /** {@link Provider}: multi-registered, one per configured provider. */
  Provider: Symbol.for('@wharf/core:Provider'),
  /** {@link MiddlewareFactory}: multi-registered, one per middleware type. */
  MiddlewareFactory: Symbol.for('@wharf/core:MiddlewareFactory'),
  /** {@link LoadedMiddlewarePlugin}: multi-registered, one per `experimental.plugins.<name>` package. */
  MiddlewarePlugin: Symbol.for('@wharf/core:MiddlewarePlugin'),
  /** {@link InternalService}: multi-registered, `api@internal`, `ping@internal`, … */
  InternalService: Symbol.for('@wharf/core:InternalService'),
  /** {@link StaticConfiguration}: the validated static configuration. */
  StaticConfiguration: Symbol.for('@wharf/core:StaticConfiguration'),
  /** {@link RequestObserver}: multi-registered; metrics and access logs. */
  RequestObserver: Symbol.for('@wharf/core:RequestObserver'),
  /** {@link RuntimeState}: the latest runtime configuration, read by the API. */
  RuntimeState: Symbol.for('@wharf/core:RuntimeState'),
} as const;
