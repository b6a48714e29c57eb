import { fromHex, initCrypto } from '../crypto';
import { inMemoryMeasure } from './in-memory-crypto';

// Child of the upload bench (see in-memory-crypto.ts): measures, reports over IPC, exits.

void (async () => {
  await initCrypto();
  const figures = await inMemoryMeasure(
    fromHex(process.env.KEY_HEX ?? ''),
    Number(process.env.SIZE),
  );
  process.send?.(figures, () => process.exit(0));
})().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
