import { statusFault } from '../respond.js';

export const tokenEndpointFails = statusFault({
  id: 'auth-expiry/token-endpoint-fails',
  category: 'auth-expiry',
  on: 'token',
  status: 503,
  summary: 'The token endpoint answers 503 to this token request.',
  type: 'temporarily_unavailable',
  message: 'The authorization server is temporarily unavailable.',
});
