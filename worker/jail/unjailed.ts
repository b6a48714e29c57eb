import { sanitiseFile, withSanitiseTmpDir } from '../sanitise';
import { startExiftool } from '../sanitise/exiftool';
import { sha256Stream } from '../../crypto';
import { MediaStreamSanitiser } from '../sanitise/media';
import { readCleanFile } from '../sanitise/rendition/read-clean-file';
import type { SanitiseContext, FileSanitiseReport } from '../sanitise/types';
import {
  UNJAILED_NOTE,
  type Sandbox,
  type SandboxSession,
  type SessionStreamed,
} from './sandbox.types';

// SANDBOX=none-development-only: the sanitisers run in the worker process, next to its keys,
// as they did before jails. For a developer's machine without user namespaces, never for a
// deployment: the worker logs it at every start, and every file's report says so.

const noted = <R extends { report: FileSanitiseReport }>(r: R): R => ({
  ...r,
  report: { ...r.report, notes: [...(r.report.notes ?? []), UNJAILED_NOTE] },
});

function session(ctx: SanitiseContext): SandboxSession {
  return {
    sanitise: async (input, declared) => {
      const result = await sanitiseFile(input, declared, ctx);
      if (result.status !== 'clean') return noted(result);
      const { notes, ...readings } = await readCleanFile(input, result, ctx);
      const report = { ...result.report, notes: [...(result.report.notes ?? []), ...notes] };
      return noted({ ...result, ...readings, report });
    },
    stream(format, size) {
      const media = new MediaStreamSanitiser(format, size);
      return {
        firstPass: media.firstPass,
        async finish(pass, open): Promise<SessionStreamed> {
          const hash = sha256Stream();
          const result = await media.finish(pass, ctx, async (n) => {
            const sink = await open(n);
            return { ...sink, write: (c) => (hash.update(c), sink.write(c)) };
          });
          return noted(
            result.status === 'clean' ? { ...result, sha256: hash.digestHex() } : result,
          );
        },
      };
    },
  };
}

export function createUnjailedSandbox(): Sandbox {
  return {
    jailed: false,
    start: async () => void startExiftool(),
    session: (fn) => withSanitiseTmpDir((ctx) => fn(session(ctx))),
    close: async () => undefined,
  };
}
