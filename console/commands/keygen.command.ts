import type { Command } from 'commander';
import { fingerprint, generateReviewerKeys, initCrypto, keyId, toBase64 } from '../../crypto';
import { contextOf } from '../context';
import { ConsoleError } from '../errors';
import { readPassphrase, writeKeyFile } from '../keystore';
import { renderPairs } from '../render/table';
import { say } from '../messages-ko';

// A reviewer's keys are born here and stay here: only the public halves are printed, for an
// admin to enrol.

export const REVIEWER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description('create a reviewer key file, encrypted under a passphrase')
    .option('--out <file>', 'where to write the key file (default: --key, or ~/.sori/key.json)')
    .option('--name <name>', 'your reviewer name, for the enrolment hint')
    .action(async (opts: { out?: string; name?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (opts.name !== undefined && !REVIEWER_NAME.test(opts.name)) {
        throw new ConsoleError(
          'BAD_NAME',
          'A reviewer name is lower-case letters, digits, dot, dash or underscore',
        );
      }
      await initCrypto();
      const path = opts.out ?? ctx.keyPath;
      const passphrase = await readPassphrase(`New passphrase for ${path}: `, true);
      const keys = generateReviewerKeys();
      writeKeyFile(path, keys, passphrase);
      const box = toBase64(keys.box.publicKey);
      const sign = toBase64(keys.sign.publicKey);
      // name=value: a base64url key may begin with '-', which a shell line would read as an option.
      const enroll = `sori admin enroll --name ${opts.name ?? '<name>'} --box=${box} --sign=${sign}`;
      const result = {
        keyFile: path,
        keyId: keyId(keys.box.publicKey),
        boxPublicKey: box,
        signPublicKey: sign,
        boxFingerprint: fingerprint(keys.box.publicKey),
        signFingerprint: fingerprint(keys.sign.publicKey),
        enroll,
      };
      ctx.emit(result, () =>
        [
          renderPairs([
            [say('key file'), path],
            [say('key id'), result.keyId],
            [say('box fingerprint'), result.boxFingerprint],
            [say('sign fingerprint'), result.signFingerprint],
          ]),
          '',
          say(
            'Hand this line to an admin (public keys only), and read them the fingerprints to compare:',
          ),
          `  ${enroll}`,
        ].join('\n'),
      );
    });
}
