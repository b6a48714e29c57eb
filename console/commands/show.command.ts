import type { Command } from 'commander';
import { contextOf } from '../context';
import { openRecord } from '../records';
import { recordJson, renderRecord } from '../render/record';
import { caseThread, threadLines } from '../render/thread';
import { markSeen } from '../seen';
import { terminalWidth } from '../render/width';

export function registerShow(program: Command): void {
  program
    .command('show')
    .description(
      'decrypt and show one record: original and translation, sanitisation, answers, entries',
    )
    .argument('<id>', 'record id (or its first 8+ characters)')
    .option('--width <columns>', 'layout width (default: the terminal width)')
    .action(async (id: string, opts: { width?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const recordId = await ctx.recordId(id);
      const api = await ctx.api();
      const r = await openRecord(api, await ctx.unlock(), recordId);
      const thread = await caseThread(api, r.detail.caseId);
      const width = opts.width && Number(opts.width) >= 40 ? Number(opts.width) : terminalWidth();
      const lines = threadLines(thread, r.detail.id);
      markSeen(r.detail.id, r.entries.length);
      ctx.emit(
        { ...recordJson(r), case: { id: r.detail.caseId, records: thread.map((t) => t.id) } },
        () => [renderRecord(r, width), ...(lines.length ? ['', ...lines] : [])].join('\n'),
      );
    });
}
