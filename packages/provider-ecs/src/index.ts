/**
 * `@wharf/provider-ecs`: Traefik's AWS ECS provider for Wharf. Wharf loads it by name for
 * `providers.ecs.*`; the default export is the plugin.
 */
import { ecsProviderPlugin } from './plugin.js';

export default ecsProviderPlugin;
export { ecsProviderPlugin } from './plugin.js';
export { EcsProvider, type EcsProviderSettings, type RefreshResult } from './ecs-provider.js';
export { EcsClient, type EcsClientSettings } from './ecs-client.js';
export { ecsProviderSchema, defaultEcsOptions, resolveEcsOptions, type EcsProviderOptions } from './options.js';
export { resolveRegion, type RegionLookup, type RegionSource } from './region.js';
export { buildConfiguration, buildInstance, type BuildIssue, type BuildResult, type BuildSettings } from './build-configuration.js';
export { selectInstances, selectPort, readEnable, type InstanceFilter, type SkippedContainer } from './instances.js';
export { mergeConfigurations, type MergeResult } from './merge-configurations.js';
export { compileRuleTemplate, type RuleTemplate, type RuleTemplateData } from './default-rule.js';
export { compileConstraints, type LabelConstraint } from './constraints.js';
export { normalizeName, instanceName, instanceId } from './naming.js';
export type { EcsContainerDefinition, EcsHost, EcsInstance, EcsPortMapping, EcsTask, EcsTaskContainer, EcsTaskDefinition } from './model.js';
