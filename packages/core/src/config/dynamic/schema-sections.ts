/**
 * The `tcp`, `udp` and `tls` sections. TCP and UDP are described so that files are checked and
 * nothing is lost, but Wharf does not serve them yet (the root schema marks them `unsupported`).
 * @see spec/traefik-model.md §f
 */
import { bool, duration, freeform, int, list, named, singular, str, strings, struct, sub } from './schema-builders.js';
import type { StructSchema } from './schema-types.js';

const DOMAIN = struct({ main: str, sans: strings });
const CERT_PAIR = struct({ certFile: str, keyFile: str });
const WEIGHTED = struct({ services: list(struct({ name: str, weight: int }, { defaults: { weight: 1 } })) });
const SOURCE_RANGE = struct({ sourceRange: strings });

const TCP_ROUTER = struct({
  entryPoints: strings,
  middlewares: strings,
  service: str,
  rule: str,
  ruleSyntax: str,
  priority: int,
  tls: sub(struct({ passthrough: bool, options: str, certResolver: str, domains: list(DOMAIN) }), { allowEmpty: true }),
});

const TCP_SERVER = struct({ address: str, tls: bool, port: { ...str, labelOnly: true } });

const TCP_SERVICE = struct(
  {
    loadBalancer: sub(
      struct({
        servers: singular(list(TCP_SERVER), 'server'),
        serversTransport: str,
        proxyProtocol: sub(struct({ version: int }, { defaults: { version: 2 } }), { allowEmpty: true }),
        terminationDelay: int,
        healthCheck: freeform,
      }),
    ),
    weighted: { ...sub(WEIGHTED), noLabel: true },
  },
  { exclusive: ['loadBalancer', 'weighted'], exclusiveWhat: 'service kind' },
);

const TCP_MIDDLEWARE = struct(
  { ipAllowList: sub(SOURCE_RANGE), ipWhiteList: sub(SOURCE_RANGE), inFlightConn: sub(struct({ amount: int })) },
  { exclusive: ['ipAllowList', 'ipWhiteList', 'inFlightConn'], exclusiveWhat: 'middleware type' },
);

const SPIFFE = sub(struct({ ids: strings, trustDomain: str }), { allowEmpty: true });

const TCP_SERVERS_TRANSPORT = struct({
  dialKeepAlive: duration,
  dialTimeout: duration,
  terminationDelay: duration,
  proxyProtocol: sub(struct({ version: int }), { allowEmpty: true }),
  tls: sub(
    struct({ serverName: str, insecureSkipVerify: bool, rootCAs: strings, certificates: list(CERT_PAIR), peerCertURI: str, spiffe: SPIFFE }),
  ),
});

export const TCP_SECTION = struct({
  routers: named(TCP_ROUTER),
  services: named(TCP_SERVICE),
  middlewares: named(TCP_MIDDLEWARE),
  serversTransports: { ...named(TCP_SERVERS_TRANSPORT), noLabel: true },
});

const UDP_SERVICE = struct(
  {
    loadBalancer: sub(struct({ servers: singular(list(struct({ address: str, port: { ...str, labelOnly: true } })), 'server') })),
    weighted: { ...sub(WEIGHTED), noLabel: true },
  },
  { exclusive: ['loadBalancer', 'weighted'], exclusiveWhat: 'service kind' },
);

export const UDP_SECTION = struct({
  routers: named(struct({ entryPoints: strings, service: str })),
  services: named(UDP_SERVICE),
});

const TLS_OPTIONS = struct({
  minVersion: str,
  maxVersion: str,
  cipherSuites: strings,
  curvePreferences: strings,
  clientAuth: sub(struct({ caFiles: strings, clientAuthType: str })),
  sniStrict: bool,
  alpnProtocols: strings,
  disableSessionTickets: bool,
  preferServerCipherSuites: bool,
});

const TLS_STORE = struct({
  defaultCertificate: sub(CERT_PAIR),
  defaultGeneratedCert: sub(struct({ resolver: str, domain: sub(DOMAIN) })),
});

export const TLS_SECTION = struct({
  certificates: { ...list(struct({ certFile: str, keyFile: str, stores: strings })), noLabel: true },
  options: { ...named(TLS_OPTIONS), noLabel: true },
  // Labels reach only `tls.stores.default`; the label decoder enforces the name.
  stores: named(TLS_STORE),
});
