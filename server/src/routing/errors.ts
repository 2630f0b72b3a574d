/**
 * Errors the routing engine throws. Each carries a stable `code`, an HTTP `status` and `details`,
 * the shape the API's error handler answers with (`{ error: { code, message, details } }`).
 */
import type { ErrorCode } from '../../../contract/errors';
import type { ZoneRef } from './zone-index';

/** No drivable way between the two positions under the request's closures. */
export const ROUTE_NOT_FOUND = 'route_not_found' satisfies ErrorCode;
/** The search settled more nodes than allowed (`maxSettledNodes`). */
export const ROUTE_BUDGET_EXCEEDED = 'route_budget_exceeded' satisfies ErrorCode;

/** Why no route was found. */
export type NoRouteReason =
  /** closed zones cut every way; `blockingZones` names them */
  | 'blocked_by_zones'
  /** no way exists even with every zone open (disconnected roads, oneways, truck limits) */
  | 'not_connected'
  /** no open road to snap the start or the destination to */
  | 'no_open_road';

/** Details of a {@link NoRouteError}. */
export interface NoRouteDetails {
  reason: NoRouteReason;
  /** zones whose closures cut every way between start and destination */
  blockingZones: ZoneRef[];
}

/** Thrown when no route exists under the request's closures. */
export class NoRouteError extends Error {
  readonly code = ROUTE_NOT_FOUND;
  readonly status = 422;
  constructor(
    message: string,
    readonly details: NoRouteDetails,
  ) {
    super(message);
    this.name = 'NoRouteError';
  }
}

/** Details of a {@link RouteBudgetError}. */
export interface RouteBudgetDetails {
  maxSettledNodes: number;
}

/** Thrown when a search exceeds its budget of settled nodes. */
export class RouteBudgetError extends Error {
  readonly code = ROUTE_BUDGET_EXCEEDED;
  readonly status = 422;
  constructor(readonly details: RouteBudgetDetails) {
    super(`Route search stopped after settling ${details.maxSettledNodes} road junctions`);
    this.name = 'RouteBudgetError';
  }
}
