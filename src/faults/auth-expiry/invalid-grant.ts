import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { jsonResponse } from '../respond.js';

export const invalidGrant = defineFault({
  id: 'auth-expiry/invalid-grant',
  category: 'auth-expiry',
  summary:
    'The token endpoint answers 400 `invalid_grant` (credentials revoked): re-authentication needs a person, and every refresh token is revoked.',
  on: 'token',
  fails: true,
  params: z.object({}),
  draw: () => ({}),
  apply: (_params, ctx) => {
    ctx.tokens.revokeRefreshTokens();
    return jsonResponse(
      400,
      { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired or revoked.' },
      ctx.epochMs,
      { 'cache-control': 'no-store' },
    );
  },
});
