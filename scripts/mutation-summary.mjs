// Totals of the per-file Stryker reports (scripts/mutation-by-file.sh): per file and per folder, killed / survived /
// no coverage / timeout / ignored and the score. `--survivors` lists each survived or uncovered mutant with its code.
import { readdirSync, readFileSync, statSync } from 'node:fs';

const dir = 'reports/mutation/files';
const listSurvivors = process.argv.includes('--survivors');
const zero = () => ({ Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, RuntimeError: 0, CompileError: 0 });
const score = (c) => (((c.Killed + c.Timeout) / (c.Killed + c.Timeout + c.Survived + c.NoCoverage || 1)) * 100).toFixed(1);
const line = (label, c) =>
  `${label.padEnd(44)} killed ${String(c.Killed).padStart(4)}  timeout ${String(c.Timeout).padStart(2)}  survived ${String(c.Survived).padStart(3)}  no-cov ${String(c.NoCoverage).padStart(3)}  ignored ${String(c.Ignored).padStart(3)}  errors ${c.RuntimeError + c.CompileError}  score ${score(c)} %`;

// One file can be in several reports. Same source: a later pass over the survivors with more tests (e.g. batch
// `engine-shared-own`, then `shared-rules_<file>` with the rule tests): a mutant counts as killed if any pass killed
// it. Different source: the file was measured again after a change, and the newest report stands alone.
const detected = (status) => status === 'Killed' || status === 'Timeout';
const key = (m) => `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`;
const measured = new Map();
const reports = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ f, mtime: statSync(`${dir}/${f}`).mtimeMs }))
  .sort((a, b) => a.mtime - b.mtime);
for (const { f } of reports) {
  const { files } = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  for (const [file, data] of Object.entries(files)) {
    const earlier = measured.get(file);
    if (!earlier || earlier.source !== data.source) {
      measured.set(file, { source: data.source, mutants: new Map(data.mutants.map((m) => [key(m), m])) });
      continue;
    }
    for (const m of data.mutants) {
      const before = earlier.mutants.get(key(m));
      if (!before || (!detected(before.status) && m.status !== 'Ignored')) earlier.mutants.set(key(m), m);
    }
  }
}

const folders = new Map();
const rows = [];
for (const [file, { source, mutants }] of measured) {
  const c = zero();
  for (const m of mutants.values()) c[m.status]++;
  rows.push([file, c]);
  const folder = file.split('/').slice(0, 2).join('/');
  const total = folders.get(folder) ?? { ...zero(), files: 0 };
  for (const k of Object.keys(c)) total[k] += c[k];
  total.files++;
  folders.set(folder, total);
  if (!listSurvivors) continue;
  const lines = source.split('\n');
  for (const m of [...mutants.values()].filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')) {
    const { start: a, end: b } = m.location;
    const code = a.line === b.line ? lines[a.line - 1].slice(a.column - 1, b.column - 1) : `${lines[a.line - 1].slice(a.column - 1)} …`;
    console.log(`${m.status === 'NoCoverage' ? 'no-cov  ' : 'survived'} ${file}:${a.line}:${a.column} ${m.mutatorName}: ${code.slice(0, 100)} → ${String(m.replacement).replace(/\s+/g, ' ').slice(0, 100)}`);
  }
}
if (!listSurvivors) {
  for (const [file, c] of rows.sort(([a], [b]) => a.localeCompare(b))) console.log(line(file, c));
  for (const [folder, c] of folders) console.log(line(`${folder} (${c.files} files)`, c));
}
