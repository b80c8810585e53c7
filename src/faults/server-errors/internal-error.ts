import { statusFault } from '../respond.js';

export const internalError = statusFault({
  id: 'server-errors/internal-error',
  category: 'server-errors',
  status: 500,
  summary: '500 Internal Server Error (transient: worth a retry with backoff).',
  type: 'api_error',
  message: 'An unexpected error occurred.',
});
