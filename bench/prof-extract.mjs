import Database from 'better-sqlite3';
import { buildFixture } from '../fixtures/generate/index.mjs';
import { openGitSource } from '../dist/source/git.js';
import { discover } from '../dist/discover/discover.js';
import { loadMigrations } from '../dist/discover/load-migrations.js';
import { extractSchema } from '../dist/replay/extract.js';
const repo = await buildFixture('scale-2000');
const src = await openGitSource(repo, 'main', 'pr');
const d = await discover(src.head);
const base = await loadMigrations(src.base, d.databases[0]);
const head = await loadMigrations(src.head, d.databases[0]);
console.log(base.length, head.length, head.slice(base.length).map(f=>f.path+'\n'+f.content));
const db = new Database(':memory:');
let t=performance.now();
for (const f of base) { try { db.exec(f.content) } catch {} }
console.log('replay', performance.now()-t);
for (let i=0;i<4;i++){ t=performance.now(); const s=extractSchema(db); const j=JSON.stringify(s); const t2=performance.now(); JSON.parse(j); console.log('extract', (t2-t).toFixed(1), 'parse', (performance.now()-t2).toFixed(1), j.length); }
t=performance.now(); const buf=db.serialize(); console.log('serialize', performance.now()-t, buf.length);
t=performance.now(); const db2=new Database(buf); console.log('deser', performance.now()-t);
t=performance.now(); const m=db2.prepare('SELECT type,name,tbl_name,sql FROM sqlite_master').all(); console.log('master', performance.now()-t, m.length);
console.log(process.memoryUsage());
await src.close();
