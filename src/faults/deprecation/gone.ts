import { statusFault } from '../respond.js';

export const gone = statusFault({
  id: 'deprecation/gone',
  category: 'deprecation',
  status: 410,
  summary: '410 Gone: the endpoint was removed after its sunset date; asking again cannot help.',
  type: 'invalid_request_error',
  message: 'This endpoint has been removed. See the migration guide.',
});
