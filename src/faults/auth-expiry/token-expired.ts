import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const tokenExpired = defineFault({
  id: 'auth-expiry/token-expired',
  category: 'auth-expiry',
  summary:
    'Every access token issued so far expires just before this request: it and every later call with an old token get 401 `Bearer error="invalid_token"`.',
  on: 'api',
  params: z.object({}),
  draw: () => ({}),
  apply: (_params, ctx) => {
    ctx.tokens.expireAccessTokens();
    return ctx.next();
  },
});
