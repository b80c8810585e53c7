import { statusFault } from '../respond.js';

export const badRequest = statusFault({
  id: 'server-errors/bad-request',
  category: 'server-errors',
  status: 400,
  summary: '400 Bad Request: not retryable.',
  type: 'invalid_request_error',
  message: 'The request was malformed.',
});
