export { createReplayHandler, isTokenInteraction, type ReplayHandler, type ReplayHandlerOptions } from './handler.js';
export { startReplayServer, type ReplayServer, type ReplayServerOptions } from './server.js';
export { TokenLedger } from './tokens.js';
export { EffectLedger } from './effects.js';
export { InProcessNetwork, IN_PROCESS_HOST, type InProcessReplay } from './in-process.js';
