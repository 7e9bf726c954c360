// Rule inputs built by the real pipeline (git source → discovery → sandboxed replay → diff → prepare), so a rule test
// cannot drift from how Safari numbers, orders, replays and diffs files:
//
//   const input = await preparedInput({ base: { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': '…' }, pr: { … } });
//   await expectFires(rule, input);
import type { RuleInput } from '../../src/rules/types.js';
import { reviewRepo, type ReviewFilesOptions } from './review-files.js';

export const WRANGLER = `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\n`;

export async function preparedInput(opts: ReviewFilesOptions): Promise<RuleInput> {
  let prepared: RuleInput | undefined;
  await reviewRepo({ ...opts, options: { ...opts.options, onPrepared: (input) => (prepared = input) } });
  if (!prepared) throw new Error('the review stopped before preparing the rule input');
  return prepared;
}
