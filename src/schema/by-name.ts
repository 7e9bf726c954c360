/** Code-unit order for names: the same on every machine and locale (localeCompare is not). */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
