import { readdirSync } from 'node:fs';
import { basename } from 'node:path';

// The layout `sori submit --batch DIR` reads, one interview per NAME: NAME.txt (required),
// NAME.json (answers), NAME.LABEL.EXT attachments in name order. See CONSOLE.md.

export interface BatchInterview {
  name: string;
  /** File names inside DIR, sorted. */
  attachments: string[];
}

export function interviewsIn(dir: string): BatchInterview[] {
  const files = readdirSync(dir).sort();
  const names = new Set(files.filter((f) => f.endsWith('.txt')).map((f) => basename(f, '.txt')));
  const attachmentsOf = (name: string): string[] =>
    files.filter(
      (f) =>
        f.startsWith(`${name}.`) &&
        f !== `${name}.txt` &&
        f !== `${name}.json` &&
        f.slice(name.length + 1).includes('.'),
    );
  const isAttachment = (name: string): boolean =>
    [...names].some((other) => other !== name && attachmentsOf(other).includes(`${name}.txt`));
  return [...names]
    .filter((name) => !isAttachment(name))
    .map((name) => ({ name, attachments: attachmentsOf(name) }));
}
