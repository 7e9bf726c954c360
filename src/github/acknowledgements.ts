/**
 * `/safari ack` acknowledgements as the core takes them. An acknowledgement holds for the files its findings were in
 * as a review saw them (blob SHAs); a later push that changes such a file lapses it for that file.
 */
import type { ReviewResult } from '../result.js';
import type { ExternalAcknowledgement } from '../review.js';
import type { TreeEntry } from './api-tree.js';
import type { StoredAck } from './sticky-comment.js';

const NO_FILE = '';

const reasonOf = (ack: StoredAck) => `${ack.reason} (acknowledged by @${ack.by})`;

export function activeAcknowledgements(acks: StoredAck[], head: ReadonlyMap<string, TreeEntry>): ExternalAcknowledgement[] {
  return acks.flatMap((ack) => {
    if (!ack.shas) return [{ rule: ack.rule, ...(ack.file ? { file: ack.file } : {}), reason: reasonOf(ack), by: ack.by }];
    return Object.entries(ack.shas)
      .filter(([path, sha]) => (path === NO_FILE ? true : head.get(path)?.sha === sha))
      .map(([path]) => ({ rule: ack.rule, ...(path === NO_FILE ? {} : { file: path }), reason: reasonOf(ack), by: ack.by }));
  });
}

/** Pins each new acknowledgement to the files (blob SHAs) of the findings it covered in this review. */
export function pinAcknowledgements(acks: StoredAck[], result: ReviewResult, head: ReadonlyMap<string, TreeEntry>): StoredAck[] {
  return acks.map((ack) => {
    if (ack.shas) return ack;
    const shas: Record<string, string> = {};
    for (const f of result.findings) {
      if (!f.acknowledged || f.rule !== ack.rule || (ack.file && f.file !== ack.file)) continue;
      const sha = f.file === undefined ? NO_FILE : head.get(f.file)?.sha;
      if (sha !== undefined) shas[f.file ?? NO_FILE] = sha;
    }
    return { ...ack, shas };
  });
}
