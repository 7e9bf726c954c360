import { describe, expect, it } from 'vitest';
import type { MigrationFile } from '../../src/discover/types.js';
import { tableHistory } from '../../src/map/table-details.js';

const file = (path: string, content: string): MigrationFile => ({
  path,
  source: 'migrations',
  applier: 'wrangler',
  content,
  number: Number(/(\d+)_/.exec(path)![1]),
  numberText: /(\d+)_/.exec(path)![1],
});

describe('tableHistory', () => {
  const files = [
    file('migrations/0001_init.sql', 'CREATE TABLE accounts (id INTEGER PRIMARY KEY);\nCREATE TABLE other (id INTEGER);\n'),
    file('migrations/0002_email.sql', '-- a comment\nALTER TABLE accounts ADD COLUMN email TEXT;\nINSERT INTO accounts (id) VALUES (1);\n'),
    file('migrations/0003_rename.sql', 'ALTER TABLE accounts RENAME TO users;\nCREATE UNIQUE INDEX users_email ON users(email);\n'),
    file(
      'migrations/0004_rebuild.sql',
      'CREATE TABLE "__new_users" (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nINSERT INTO "__new_users" SELECT * FROM users;\nDROP TABLE users;\nALTER TABLE "__new_users" RENAME TO users;\n',
    ),
    file('migrations/0005_col.sql', 'ALTER TABLE users RENAME COLUMN email TO mail;\nALTER TABLE other DROP COLUMN id;\n'),
  ];

  it('follows a table back through renames and rebuilds, in apply order, without its data statements', () => {
    expect(tableHistory(files, 'users').map(({ file, line, text }) => ({ file, line, action: text }))).toEqual([
      { file: 'migrations/0001_init.sql', line: 1, action: 'created as accounts' },
      { file: 'migrations/0002_email.sql', line: 2, action: 'added column email' },
      { file: 'migrations/0003_rename.sql', line: 1, action: 'renamed accounts to users' },
      { file: 'migrations/0003_rename.sql', line: 2, action: 'created index users_email' },
      { file: 'migrations/0004_rebuild.sql', line: 1, action: 'created as __new_users' },
      { file: 'migrations/0004_rebuild.sql', line: 3, action: 'dropped' },
      { file: 'migrations/0004_rebuild.sql', line: 4, action: 'renamed __new_users to users' },
      { file: 'migrations/0005_col.sql', line: 1, action: 'renamed column email to mail' },
    ]);
  });

  it('is empty for a name no migration touches, and case-insensitive', () => {
    expect(tableHistory(files, 'nothing')).toEqual([]);
    expect(tableHistory(files, 'OTHER').map((h) => h.text)).toEqual(['created', 'dropped column id']);
    expect(tableHistory(files, 'users')[1]).toEqual({ file: 'migrations/0002_email.sql', line: 2, action: 'added column {0}', names: ['email'], text: 'added column email' });
  });
});
