// An in-memory Tree for discovery and loading tests; records every read() batch so tests can check batching.
import type { Tree } from '../../src/source/types.js';

export interface MemoryTree extends Tree {
  /** The path lists passed to each read() call, in order. */
  readonly reads: string[][];
}

export function memoryTree(files: Record<string, string>, id = 'mem'): MemoryTree {
  const reads: string[][] = [];
  const paths = Object.keys(files).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    id,
    reads,
    list: async () => [...paths],
    read: async (wanted) => {
      reads.push([...wanted]);
      return new Map(wanted.map((p) => [p, Object.hasOwn(files, p) ? files[p] : undefined]));
    },
    sizes: async (wanted) => new Map(wanted.map((p) => [p, Object.hasOwn(files, p) ? Buffer.byteLength(files[p]) : undefined])),
  };
}
