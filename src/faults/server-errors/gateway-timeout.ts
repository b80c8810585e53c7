import { statusFault } from '../respond.js';

export const gatewayTimeout = statusFault({
  id: 'server-errors/gateway-timeout',
  category: 'server-errors',
  status: 504,
  summary: '504 Gateway Timeout from a load balancer in front of the upstream.',
  type: 'api_error',
  message: 'Gateway timeout.',
});
