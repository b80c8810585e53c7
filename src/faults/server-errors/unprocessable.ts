import { statusFault } from '../respond.js';

export const unprocessable = statusFault({
  id: 'server-errors/unprocessable',
  category: 'server-errors',
  status: 422,
  summary: '422 Unprocessable Content: not retryable.',
  type: 'invalid_request_error',
  message: 'The request could not be processed.',
});
