/** `@wharf/core/testing`: contract kits that provider packages run in their own tests. */
export { runProviderContract, type ProviderContractOptions } from './provider-contract.js';
