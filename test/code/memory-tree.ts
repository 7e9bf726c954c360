// An in-memory Tree for code-search tests; counts read() calls so tests can assert one bulk read.
import type { Tree } from '../../src/source/types.js';

export function memoryTree(files: Record<string, string>): Tree & { reads: number } {
  const tree = {
    id: 'memory',
    reads: 0,
    async list() {
      return Object.keys(files).sort();
    },
    async read(paths: string[]) {
      tree.reads++;
      return new Map(paths.map((p) => [p, files[p]] as [string, string | undefined]));
    },
    async sizes(paths: string[]) {
      return new Map(paths.map((p) => [p, files[p] === undefined ? undefined : Buffer.byteLength(files[p])] as [string, number | undefined]));
    },
  };
  return tree;
}
