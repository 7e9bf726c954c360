/**
 * Migration numbers and names, shared by the numbering and history rules: folders, conventions, the highest number.
 * What the PR changed lives in shared/pr-operations.ts.
 */
import type { MigrationFile } from '../../discover/types.js';

/** Files grouped by their folder (MigrationSource.path), in the order given. */
export function byFolder(files: readonly MigrationFile[]): Map<string, MigrationFile[]> {
  const map = new Map<string, MigrationFile[]>();
  for (const f of files) {
    const list = map.get(f.source);
    if (list) list.push(f);
    else map.set(f.source, [f]);
  }
  return map;
}

/** A migration's name as messages show it: the file name, or for drizzle-kit 1.x `<timestamp>_<name>/migration.sql`. */
export const fileName = (path: string): string => /(?:^|\/)(\d{14}_[^/]+\/migration\.sql)$/.exec(path)?.[1] ?? path.slice(path.lastIndexOf('/') + 1);

/** How a folder writes its numbers: zero-padded to `width` digits (`0007`), or plainly (`7`). */
export interface NumberConvention {
  padded: boolean;
  width: number;
  /** The file that shows the convention (the newest one). */
  example: MigrationFile;
}

/**
 * The folder's convention is that of its newest numbered file (highest number), because a folder that switched
 * (groveauth's 001…009, then 0001…0010) follows its newest files. A number that merely outgrew the width (1000 after
 * 0999, or after 999) keeps the padded width of the files before it. Undefined for a folder with no numbered files.
 */
export function numberConvention(files: readonly MigrationFile[]): NumberConvention | undefined {
  const newest = highestNumber(files);
  if (!newest?.numberText) return undefined;
  const text = newest.numberText;
  if (text.length > 1 && text.startsWith('0')) return { padded: true, width: text.length, example: newest };
  const paddedWidths = files.filter((f) => f.numberText && f.numberText.length > 1 && f.numberText.startsWith('0')).map((f) => f.numberText!.length);
  if (paddedWidths.length > 0) return { padded: true, width: Math.max(...paddedWidths), example: newest };
  return { padded: false, width: text.length, example: newest };
}

/**
 * Whether digits follow the convention. A padded folder: exactly `width` digits when written with a leading zero, at
 * least `width` without one (natural growth: 1000 after 0999). A plain folder: no leading zero.
 */
export function fitsConvention(numberText: string, convention: NumberConvention): boolean {
  const leadingZero = numberText.length > 1 && numberText.startsWith('0');
  if (!convention.padded) return !leadingZero;
  return leadingZero ? numberText.length === convention.width : numberText.length >= convention.width;
}

/** `85` written in `width` digits: `085`. */
export const formatNumber = (n: number, convention: NumberConvention | undefined): string =>
  convention?.padded ? String(n).padStart(convention.width, '0') : String(n);

/**
 * The number a file's name carries, as wrangler reads it. For Drizzle's journal layout `MigrationFile.number` is the
 * journal idx; the name's number (`0005_x`) is what two branches collide on, so names win where they have digits.
 */
export function numberOf(file: MigrationFile): number | null {
  return file.numberText !== null ? Number(file.numberText) : file.number;
}

/** The file with the highest number, the first of equal ones; undefined when no file is numbered. */
export function highestNumber(files: readonly MigrationFile[]): MigrationFile | undefined {
  let top: MigrationFile | undefined;
  for (const f of files) {
    const n = numberOf(f);
    // `top` is always a numbered file.
    if (n !== null && (!top || n > numberOf(top)!)) top = f;
  }
  return top;
}
