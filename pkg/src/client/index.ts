// Public surface of the client layer shared by the node and browser entries.
export { LEVELS, levelRank } from './types.js';
export type {
  ActionSimulation,
  ClientEvents,
  EndpointHealth,
  EndpointKind,
  Eta,
  Level,
  L2Details,
  Logger,
  PreconfClient,
  PreconfClientOptions,
  SimulateActionRequest,
  Status,
  SyncProgress,
  Target,
  WaitLevel,
  WaitOptions,
} from './types.js';
export { ENGINE_REASON_CODES } from './rollup.js';
export { memoryStorage, indexedDbStorage, type Storage } from './storage.js';
export { SseParser, type SseEvent } from './sse.js';
export {
  ProviderRpcError,
  RPC_ERROR,
  VERIFIED_METHODS,
  type AnchoredProviderOptions,
  type Eip1193Provider,
  type Eip1193ProviderOptions,
  type EvmSpec,
  type ProviderEvents,
  type RequestArguments,
} from './provider.js';
