/**
 * One deadline for a whole review. Per-statement and per-evaluation limits add up (six folders of hanging statements
 * took 61 s, and passed), so every step asks this one clock before it starts work and races it while it waits.
 */
export class Deadline {
  private readonly end: number;

  constructor(
    readonly ms: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.end = now() + ms;
  }

  /** Milliseconds left (0 once passed). */
  remaining(): number {
    return Math.max(0, this.end - this.now());
  }

  get expired(): boolean {
    return this.remaining() <= 0;
  }

  /** The promise's value, or `onTimeout()`'s when the deadline comes first (the work itself is left to its own limits). */
  async race<T>(work: Promise<T>, onTimeout: () => T): Promise<T> {
    if (this.expired) return onTimeout();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(onTimeout()), this.remaining());
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
