import { Command } from 'commander';
import { registerAdmin } from './commands/admin';
import { registerAuth } from './commands/auth.command';
import { registerDesk } from './commands/desk.command';
import { registerEntries } from './commands/entries.command';
import { registerExport } from './commands/export.command';
import { registerFiles } from './commands/files.command';
import { registerGrant } from './commands/grant.command';
import { registerKeygen } from './commands/keygen.command';
import { registerList } from './commands/list.command';
import { registerReply } from './commands/reply.command';
import { registerShow } from './commands/show.command';
import { registerSubmit } from './commands/submit.command';
import { registerVerify } from './commands/verify.command';
import { helpText, localiseHelp } from './help-ko';

// The command tree, built without parsing so tests can walk it (every command has --help).

export function buildProgram(): Command {
  const program = new Command('sori');
  program
    .description(
      'Sori console: read, annotate and export testimony; verify custody; submit interviews',
    )
    .version('0.1.0')
    .option(
      '--server <url>',
      'review API (env SORI_SERVER)',
      process.env.SORI_SERVER || 'http://127.0.0.1:8081',
    )
    .option(
      '--intake <url>',
      'public intake API, for submit (env SORI_INTAKE)',
      process.env.SORI_INTAKE || 'http://127.0.0.1:8080',
    )
    .option('--key <file>', 'reviewer key file (default ~/.sori/key.json; SORI_HOME moves ~/.sori)')
    .option('--json', 'machine-readable output on stdout')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText(
      'after',
      `\n${helpText('The passphrase comes from SORI_PASSPHRASE or a prompt. Errors end with their code; exit status 1 (2: verification found a break).')}`,
    )
    .showSuggestionAfterError()
    .exitOverride()
    // Usage errors are reported by main() in the same one-line form as every other error.
    .configureOutput({ outputError: () => undefined });

  registerKeygen(program);
  registerAuth(program);
  registerList(program);
  registerShow(program);
  registerEntries(program);
  registerReply(program);
  registerGrant(program);
  registerFiles(program);
  registerExport(program);
  registerVerify(program);
  registerSubmit(program);
  registerAdmin(program);
  registerDesk(program);
  localiseHelp(program);
  return program;
}
