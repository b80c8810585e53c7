/** Runs a task when fewer than the limit are running; tasks start in the order they were given. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A limit on how many tasks run at once, shared by everyone who holds it. */
export function createLimiter(limit: number): Limiter {
  const max = Math.max(1, limit);
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
