import type { Command } from 'commander';
import {
  decryptRecordBody,
  encryptEntry,
  fromBase64,
  initCrypto,
  randomId,
  sealToSource,
  toBase64,
} from '../../crypto';
import type { RecordBodyV1 } from '../../worker/record-body';
import type { RecordDetail } from '../api-types';
import { contextOf } from '../context';
import type { EntryContent } from '../entries';
import { ConsoleError } from '../errors';
import { recordPath, unwrapKey } from '../records';
import { readTextFile } from './entries.command';

// A reply is sealed to the public key the source derived from its receipt: only the receipt
// opens it. Reviewers keep their own copy as an entry under the record key.

export function registerReply(program: Command): void {
  program
    .command('reply')
    .description('reply to the source of a record (sealed to the key from their receipt)')
    .argument('<id>', 'record id (or its first 8+ characters)')
    .argument('[text]', 'the reply')
    .option('--file <file>', 'read the reply from a UTF-8 text file')
    .action(
      async (typed: string, text: string | undefined, opts: { file?: string }, cmd: Command) => {
        const ctx = contextOf(cmd);
        if ((text === undefined) === (opts.file === undefined)) {
          throw new ConsoleError(
            'REPLY_TEXT_REQUIRED',
            'Give the reply as TEXT or with --file, not both',
          );
        }
        const message = opts.file ? readTextFile(opts.file) : (text as string);
        if (message.trim() === '') throw new ConsoleError('REPLY_EMPTY', 'The reply is empty');
        await initCrypto();
        const api = await ctx.api();
        const id = await ctx.recordId(typed);
        const detail = await api.get<RecordDetail>(recordPath(id));
        const recordKey = unwrapKey(detail, await ctx.unlock());
        const body = decryptRecordBody<RecordBodyV1>(recordKey, detail.id, fromBase64(detail.body));
        if (!body.sourcePublicKey) {
          throw new ConsoleError(
            'SOURCE_KEY_MISSING',
            `The source of ${id} left no key to reply to (it was sent without a receipt)`,
          );
        }
        const replyId = randomId();
        const toSource = toBase64(
          sealToSource(fromBase64(body.sourcePublicKey), { v: 1, text: message }),
        );
        const copy: EntryContent = { v: 1, kind: 'reply', text: message };
        const entry = toBase64(encryptEntry(recordKey, detail.id, replyId, copy));
        await api.post(`${recordPath(id)}/replies`, { id: replyId, toSource, entry });
        ctx.emit(
          { recordId: id, replyId },
          () => `Reply ${replyId} sealed to the source of ${id}.`,
        );
      },
    );
}
