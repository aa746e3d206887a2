/** `@wharf/core/testing`: contract kits that provider packages run in their own tests. */
import 'reflect-metadata';
export { runProviderContract, type ProviderContractOptions } from './provider-contract.js';
