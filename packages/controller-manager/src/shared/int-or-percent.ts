// IntOrString fields such as maxSurge: 25%, or a number (k8s.io/apimachinery intstr.GetScaledValueFromIntOrPercent).

/** `value` of `total`: a number as is, "N%" scaled and rounded up or down. Throws on anything else. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, fallback: number | string = 0): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const match = /^(\d+)%$/.exec(v);
  if (!match) {
    // Kubernetes also accepts a plain integer in string form.
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage: "${v}"`);
  }
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * The rolling update's bounds for `desired` replicas (deployment util ResolveFenceposts): surge rounds up,
 * unavailability rounds down, and both zero would never make progress, so unavailability becomes 1.
 */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true, '25%');
  let unavailable = scaledValue(maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
