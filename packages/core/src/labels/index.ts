/**
 * The label decoder shared by label-based providers (ECS now; Docker, Consul Catalog, Nomad
 * later): `traefik.*` labels → dynamic configuration, with Traefik's decoding rules.
 * @see spec/traefik-model.md §e
 */
export { decodeLabels } from './decode-labels.js';
export type { LabelDecodeOptions, LabelDecodeResult } from './decode-labels.js';
export { isExposed, labelServers, labelsWithPrefix, readProviderOptions } from './provider-options.js';
export type { LabelProviderOptions, LabelServer } from './provider-options.js';
export { parseLabelBool, parseLabelDuration, parseLabelInt, splitLabelList } from './values.js';
export type { ParsedValue } from './values.js';
