import { statusFault } from '../respond.js';

export const serviceUnavailable = statusFault({
  id: 'server-errors/service-unavailable',
  category: 'server-errors',
  status: 503,
  summary: '503 Service Unavailable without Retry-After.',
  type: 'api_error',
  message: 'Service unavailable.',
});
