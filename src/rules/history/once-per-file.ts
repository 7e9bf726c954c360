/**
 * One folder can feed several databases (a wrangler `env.staging` binding with its own database_name over the same
 * `migrations_dir`). A problem of a file is the same problem for each of them: report it once, under the first
 * database, instead of once per binding.
 */
import type { Report } from '../../findings.js';

export function oncePerFile(reports: Report[]): Report[] {
  const seen = new Set<string>();
  return reports.filter((r) => {
    const { database: _omit, ...data } = r.data ?? {};
    const key = JSON.stringify([r.messageId, r.file, r.line, r.preexisting === true, r.severity, data]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
