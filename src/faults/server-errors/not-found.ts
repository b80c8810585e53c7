import { statusFault } from '../respond.js';

export const notFound = statusFault({
  id: 'server-errors/not-found',
  category: 'server-errors',
  status: 404,
  summary: '404 Not Found: not retryable.',
  type: 'invalid_request_error',
  message: 'No such resource.',
});
