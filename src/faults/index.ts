import type { Fault, FaultParams } from '../core/index.js';
import { insufficientScope } from './auth-expiry/insufficient-scope.js';
import { invalidGrant } from './auth-expiry/invalid-grant.js';
import { tokenEndpointFails } from './auth-expiry/token-endpoint-fails.js';
import { tokenExpired } from './auth-expiry/token-expired.js';
import { deprecationHeader } from './deprecation/deprecation-header.js';
import { gone } from './deprecation/gone.js';
import { sunsetHeader } from './deprecation/sunset-header.js';
import { emptyPage } from './pagination/empty-page.js';
import { laterPageFails } from './pagination/later-page-fails.js';
import { repeatedCursor } from './pagination/repeated-cursor.js';
import { changeType } from './schema-drift/change-type.js';
import { extraField } from './schema-drift/extra-field.js';
import { nestedShape } from './schema-drift/nested-shape.js';
import { nullValue } from './schema-drift/null-value.js';
import { removeField } from './schema-drift/remove-field.js';
import { renameField } from './schema-drift/rename-field.js';
import { unknownEnum } from './schema-drift/unknown-enum.js';
import { blackHole } from './latency-timeout/black-hole.js';
import { latencyAboveDeadline } from './latency-timeout/latency-above-deadline.js';
import { latencyBelowTimeout } from './latency-timeout/latency-below-timeout.js';
import { slowHeaders } from './latency-timeout/slow-headers.js';
import { bandwidth } from './network-faults/bandwidth.js';
import { limitData } from './network-faults/limit-data.js';
import { resetPeer } from './network-faults/reset-peer.js';
import { slicer } from './network-faults/slicer.js';
import { slowClose } from './network-faults/slow-close.js';
import { ratelimitHeaders } from './rate-limit/ratelimit-headers.js';
import { retryAfterAbsent } from './rate-limit/retry-after-absent.js';
import { retryAfterDate } from './rate-limit/retry-after-date.js';
import { retryAfterMalformed } from './rate-limit/retry-after-malformed.js';
import { retryAfterSeconds } from './rate-limit/retry-after-seconds.js';
import { retryAfterTooLong } from './rate-limit/retry-after-too-long.js';
import { badGateway } from './server-errors/bad-gateway.js';
import { badRequest } from './server-errors/bad-request.js';
import { gatewayTimeout } from './server-errors/gateway-timeout.js';
import { internalError } from './server-errors/internal-error.js';
import { notFound } from './server-errors/not-found.js';
import { serviceUnavailable } from './server-errors/service-unavailable.js';
import { unavailableRetryAfter } from './server-errors/unavailable-retry-after.js';
import { unprocessable } from './server-errors/unprocessable.js';
import { emptyBody } from './silent-failure/empty-body.js';
import { errorBodyFault } from './silent-failure/error-body.js';
import { htmlErrorPage } from './silent-failure/html-error-page.js';
import { truncatedJson } from './silent-failure/truncated-json.js';
import { wrongContentType } from './silent-failure/wrong-content-type.js';
import { lostAfterCommit } from './write-safety/lost-after-commit.js';
import { resetAfterCommit } from './write-safety/reset-after-commit.js';
import { truncatedAfterCommit } from './write-safety/truncated-after-commit.js';

/** Every built-in fault, by id. Listed explicitly: a fault exists when it is here. */
export const FAULTS: ReadonlyMap<string, Fault<FaultParams>> = new Map(
  (
    [
      retryAfterSeconds,
      retryAfterDate,
      retryAfterAbsent,
      retryAfterMalformed,
      retryAfterTooLong,
      ratelimitHeaders,
      internalError,
      badGateway,
      serviceUnavailable,
      gatewayTimeout,
      unavailableRetryAfter,
      badRequest,
      notFound,
      unprocessable,
      tokenExpired,
      tokenEndpointFails,
      invalidGrant,
      insufficientScope,
      errorBodyFault,
      emptyBody,
      truncatedJson,
      htmlErrorPage,
      wrongContentType,
      resetPeer,
      limitData,
      slicer,
      slowClose,
      bandwidth,
      latencyBelowTimeout,
      latencyAboveDeadline,
      blackHole,
      slowHeaders,
      resetAfterCommit,
      truncatedAfterCommit,
      lostAfterCommit,
      renameField,
      removeField,
      changeType,
      nullValue,
      extraField,
      unknownEnum,
      nestedShape,
      deprecationHeader,
      sunsetHeader,
      gone,
      repeatedCursor,
      laterPageFails,
      emptyPage,
    ] as Fault<any>[]
  ).map((fault) => [fault.id, fault as Fault<FaultParams>]),
);
