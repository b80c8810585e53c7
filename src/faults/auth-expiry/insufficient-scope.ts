import { statusFault } from '../respond.js';

export const insufficientScope = statusFault({
  id: 'auth-expiry/insufficient-scope',
  category: 'auth-expiry',
  status: 403,
  summary: '403 with `WWW-Authenticate: Bearer error="insufficient_scope"`: a new token would not help.',
  type: 'permission_error',
  message: 'This API key does not have the required scope.',
  headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="invoices:read invoices:write"' },
});
