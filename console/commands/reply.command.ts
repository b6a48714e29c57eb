import type { Command } from 'commander';
import { contextOf } from '../context';
import { ConsoleError } from '../errors';
import { replyToSource } from '../reply';
import { readTextFile } from './entries.command';
import { say } from '../messages-ko';

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
        const api = await ctx.api();
        const id = await ctx.recordId(typed);
        const { replyId } = await replyToSource(api, await ctx.unlock(), id, message);
        ctx.emit({ recordId: id, replyId }, () =>
          say('Reply {reply} sealed to the source of {id}.', { reply: replyId, id }),
        );
      },
    );
}
