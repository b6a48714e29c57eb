import type { Command } from 'commander';
import { contextOf } from '../context';
import { openRecord } from '../records';
import { recordJson, renderRecord } from '../render/record';
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
      const r = await openRecord(await ctx.api(), await ctx.unlock(), recordId);
      const width = opts.width && Number(opts.width) >= 40 ? Number(opts.width) : terminalWidth();
      ctx.emit(recordJson(r), () => renderRecord(r, width));
    });
}
