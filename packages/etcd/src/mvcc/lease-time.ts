// Lease time, which the leader tracks and the store does not: pure helpers so the server computes TTLs as etcd 3.4
// does.

/** etcd's lease.MaxLeaseTTL (seconds); a larger grant fails with Errors.leaseTtlTooLarge(). */
export const MAX_LEASE_TTL = 9_000_000_000;

/**
 * etcd's minimum lease TTL in seconds: ceil((3 * electionTicks / 2, in integer ticks) * heartbeat).
 * The defaults (10 ticks of 100 ms) give 2.
 */
export function minLeaseTtl(electionTicks: number, heartbeatMs: number): number {
  return Math.ceil((Math.trunc((3 * electionTicks) / 2) * heartbeatMs) / 1000);
}

/** The TTL a grant actually gets (etcd's lessor raises anything below the minimum, including 0). */
export function grantedTtl(requestedTtl: number, minTtl: number): number {
  return requestedTtl < minTtl ? minTtl : requestedTtl;
}

/** The expiry a grant or keep-alive sets: now + ttl seconds (etcd's refresh with no extension). */
export function leaseExpiry(nowMs: number, ttlSeconds: number, extendMs = 0): number {
  return nowMs + extendMs + ttlSeconds * 1000;
}

/** TimeToLive's TTL: whole seconds left, truncated toward zero (Go's int64(d.Seconds())). */
export function remainingTtl(expiryMs: number, nowMs: number): number {
  const s = Math.trunc((expiryMs - nowMs) / 1000);
  return s === 0 ? 0 : s; // no -0
}
