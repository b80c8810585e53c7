import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { errorBody, jsonResponse } from '../respond.js';

export const errorBodyFault = defineFault({
  id: 'silent-failure/error-body',
  category: 'silent-failure',
  summary: '200 OK whose JSON body is an error object instead of the data.',
  on: 'api',
  params: z.object({}),
  draw: () => ({}),
  apply: (_params, ctx) =>
    jsonResponse(200, errorBody('api_error', 'An unexpected error occurred while processing the request.'), ctx.epochMs),
});
