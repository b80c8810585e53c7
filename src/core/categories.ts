/** The resilience categories and their weights (README.md, "Scoring"). */
export const CATEGORY_IDS = [
  'write-safety',
  'rate-limit',
  'auth-expiry',
  'server-errors',
  'network-faults',
  'latency-timeout',
  'schema-drift',
  'silent-failure',
  'pagination',
  'deprecation',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

export const CATEGORY_WEIGHTS: Record<CategoryId, number> = {
  'write-safety': 15,
  'rate-limit': 15,
  'auth-expiry': 12,
  'server-errors': 10,
  'network-faults': 10,
  'latency-timeout': 10,
  'schema-drift': 10,
  'silent-failure': 8,
  pagination: 5,
  deprecation: 5,
};

export function isCategoryId(value: string): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value);
}
