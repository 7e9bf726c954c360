/**
 * A small line diff for showing what a PR changed in an applied migration: common prefix and suffix trimmed, the
 * middle aligned by longest common subsequence when it is small enough, otherwise shown as replaced wholesale.
 */

export interface LineDiff {
  /** `- old` / `+ new` lines in file order, at most `limit`, then one `… N more changed lines` line. */
  lines: string[];
  /** 1-based line in the new text where the first change is (for a pure deletion: the line after it). */
  firstLine: number;
  changed: number;
}

const MAX_CELLS = 250_000;
const MAX_WIDTH = 160;

const shorten = (line: string) => (line.length > MAX_WIDTH ? `${line.slice(0, MAX_WIDTH - 1)}…` : line);

export function lineDiff(oldText: string, newText: string, limit = 12): LineDiff | undefined {
  const a = oldText.replace(/\r\n/g, '\n').split('\n');
  const b = newText.replace(/\r\n/g, '\n').split('\n');
  let start = 0;
  // Past the end of `b` its line is undefined, equal to no line of `a`, so one bound is enough.
  while (start < a.length && a[start] === b[start]) start++;
  if (start === a.length && start === b.length) return undefined;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  let ops: string[] = [];
  if (midA.length * midB.length <= MAX_CELLS) {
    // lcs[i][j]: common subsequence length of midA[i..] and midB[j..].
    const lcs = Array.from({ length: midA.length + 1 }, () => new Uint32Array(midB.length + 1));
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lcs[i][j] = midA[i] === midB[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length || j < midB.length) {
      // Past either end the line is undefined, equal to no line of the other side.
      if (midA[i] === midB[j]) {
        i++;
        j++;
      } else if (i < midA.length && (j === midB.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
        // Removals before additions, like `diff -u`.
        ops.push(`- ${midA[i]}`);
        i++;
      } else {
        ops.push(`+ ${midB[j]}`);
        j++;
      }
    }
  } else {
    ops = [...midA.map((text) => `- ${text}`), ...midB.map((text) => `+ ${text}`)];
  }
  const lines = ops.slice(0, limit).map(shorten);
  if (ops.length > limit) lines.push(`… ${ops.length - limit} more changed line${ops.length - limit === 1 ? '' : 's'}`);
  // The middle starts at new line start + 1, also for a deletion (the line after it), unless it deletes the end.
  return { lines, firstLine: Math.min(start + 1, b.length), changed: ops.length };
}
