export { describeCandidates, ENGINE_MODES, startNetworkEngine, type Candidate, type EngineMode, type EngineOptions, type NoEngine, type StartedEngine } from './engine.js';
export { TOXIPROXY_IMAGE } from './container.js';
export { cacheDir, TOXIPROXY_MODULE, TOXIPROXY_VERSION } from './process.js';
export { PROXY_PREFIX, ToxiproxyApi, type ExecutionProxy } from './toxiproxy.js';
export { processStart, reapLeftovers, runsDir, stateDir, type Reaped, type RecordedProcess } from './state.js';
