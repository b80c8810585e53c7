import type { Check } from '../core/index.js';
import { backoffGrowsWithJitter } from './backoff-grows-with-jitter.js';
import { boundedAttempts } from './bounded-attempts.js';
import { correctOrLoud } from './correct-or-loud.js';
import { honoursRetryAfter } from './honours-retry-after.js';
import { idempotencyKeyPerWrite } from './idempotency-key-per-write.js';
import { matchesContract } from './matches-contract.js';
import { noBlindWriteRetry } from './no-blind-write-retry.js';
import { oneEffectPerWrite } from './one-effect-per-write.js';
import { noTruncatedList } from './no-truncated-list.js';
import { noRefreshOn403 } from './no-refresh-on-403.js';
import { noRetryOnNonRetryable } from './no-retry-on-non-retryable.js';
import { reauthErrorSurfaced } from './reauth-error-surfaced.js';
import { recovers } from './recovers.js';
import { settlesBeforeDeadline } from './settles-before-deadline.js';
import { singleRefreshPerExpiry } from './single-refresh-per-expiry.js';
import { stopsOnRepeatedCursor } from './stops-on-repeated-cursor.js';
import { surfacesDeprecation } from './surfaces-deprecation.js';
import { toleratesAdditiveChanges } from './tolerates-additive-changes.js';
import { usesRateLimitHint } from './uses-rate-limit-hint.js';

export { matchesContract };

/** Every check, by id. A scenario names the checks that judge it from these keys. */
export const CHECKS = {
  'correct-or-loud': correctOrLoud,
  'settles-before-deadline': settlesBeforeDeadline,
  recovers,
  'honours-retry-after': honoursRetryAfter,
  'uses-rate-limit-hint': usesRateLimitHint,
  'bounded-attempts': boundedAttempts,
  'backoff-grows-with-jitter': backoffGrowsWithJitter,
  'no-retry-on-non-retryable': noRetryOnNonRetryable,
  'single-refresh-per-expiry': singleRefreshPerExpiry,
  'reauth-error-surfaced': reauthErrorSurfaced,
  'no-refresh-on-403': noRefreshOn403,
  'one-effect-per-write': oneEffectPerWrite,
  'idempotency-key-per-write': idempotencyKeyPerWrite,
  'no-blind-write-retry': noBlindWriteRetry,
  'tolerates-additive-changes': toleratesAdditiveChanges,
  'surfaces-deprecation': surfacesDeprecation,
  'stops-on-repeated-cursor': stopsOnRepeatedCursor,
  'no-truncated-list': noTruncatedList,
  'matches-contract': matchesContract,
} as const satisfies Record<string, Check>;

export type CheckId = keyof typeof CHECKS;

/** The check with this id, or `undefined`. */
export function getCheck(id: string): Check | undefined {
  return Object.prototype.hasOwnProperty.call(CHECKS, id) ? CHECKS[id as CheckId] : undefined;
}
