import { statusFault } from '../respond.js';

export const badGateway = statusFault({
  id: 'server-errors/bad-gateway',
  category: 'server-errors',
  status: 502,
  summary: '502 Bad Gateway from a load balancer in front of the upstream.',
  type: 'api_error',
  message: 'Bad gateway.',
});
