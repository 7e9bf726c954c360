/** A byte count as people read it in a message: `512 bytes`, `3.5 KB`, `1 MB` (binary units). */
export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} bytes`;
