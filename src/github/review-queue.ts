/**
 * Where reviews wait. Webhooks are answered at once; the work runs here with bounded concurrency. Per-key
 * coalescing (one key per PR): a job for a key that is already waiting replaces the waiting one (a newer push
 * supersedes), and a key never runs twice at once — a job for a running key waits for it. The interface lets a
 * Redis-backed queue (BullMQ, several replicas) replace this in-process one later.
 */
import PQueue from 'p-queue';

export type Priority = 'high' | 'low';

export interface ReviewQueue {
  /** Queues `run` under `key`; resolves when it ran, or when a newer job for the same key replaced it (`false`). */
  push(key: string, priority: Priority, run: () => Promise<void>): Promise<boolean>;
  /** Jobs waiting or running. */
  readonly size: number;
  /** Stops starting jobs; returns the keys of the waiting ones, which will never run. */
  stop(): string[];
  /** Resolves when running jobs have finished. */
  drain(): Promise<void>;
}

interface Waiting {
  run: () => Promise<void>;
  priority: Priority;
  settle: (ran: boolean) => void;
}

export class InProcessQueue implements ReviewQueue {
  private readonly queue: PQueue;
  private readonly waiting = new Map<string, Waiting>();
  private readonly running = new Set<string>();
  private stopped = false;

  constructor(concurrency: number) {
    this.queue = new PQueue({ concurrency: Math.max(1, concurrency) });
  }

  get size(): number {
    return this.waiting.size + this.running.size;
  }

  push(key: string, priority: Priority, run: () => Promise<void>): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise<boolean>((settle) => {
      const replaced = this.waiting.get(key);
      this.waiting.set(key, { run, priority, settle });
      if (replaced) {
        // The slot in p-queue already exists (or the key is running and will pick this one up).
        replaced.settle(false);
        if (priority === 'high' && replaced.priority === 'low') this.schedule(key, priority);
        return;
      }
      if (!this.running.has(key)) this.schedule(key, priority);
    });
  }

  private schedule(key: string, priority: Priority): void {
    void this.queue.add(() => this.runKey(key), { priority: priority === 'high' ? 1 : 0 });
  }

  private async runKey(key: string): Promise<void> {
    if (this.stopped || this.running.has(key)) return;
    const job = this.waiting.get(key);
    if (!job) return;
    this.waiting.delete(key);
    this.running.add(key);
    try {
      await job.run();
    } catch {
      // Jobs report their own failures (the check run); the queue only keeps going.
    } finally {
      this.running.delete(key);
      job.settle(true);
      if (this.waiting.has(key)) this.schedule(key, this.waiting.get(key)!.priority);
    }
  }

  stop(): string[] {
    this.stopped = true;
    const keys = [...this.waiting.keys()];
    for (const job of this.waiting.values()) job.settle(false);
    this.waiting.clear();
    this.queue.clear();
    return keys;
  }

  async drain(): Promise<void> {
    await this.queue.onIdle();
  }
}
