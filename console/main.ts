#!/usr/bin/env node
import { CommanderError } from 'commander';
import { describeError } from './errors';
import { consoleLanguage, KO_ERRORS } from './messages-ko';
import { buildProgram } from './program';

// `sori`: parse, run, and turn any failure into one line with its code and a non-zero exit.

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      const message = err.message.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ');
      const text = `${message.charAt(0).toUpperCase()}${message.slice(1)}`;
      const english = /[.!?]$/.test(text) ? text : `${text}.`;
      // Commander's detail (which option, which argument) stays: it names what to fix.
      const line = consoleLanguage() === 'ko' ? `${KO_ERRORS.USAGE}: ${english}` : english;
      process.stderr.write(`sori: ${line} (USAGE)\n`);
      return 2;
    }
    const d = describeError(err);
    process.stderr.write(`${d.line}\n`);
    return d.exitCode;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
