import { fromHex, initCrypto } from '../crypto';
import { reportToParent } from './children';
import { inMemoryMeasure } from './in-memory-crypto';

// Child of the upload bench (see in-memory-crypto.ts): measures once, reports, exits.

reportToParent(async () => {
  await initCrypto();
  return inMemoryMeasure(fromHex(process.env.KEY_HEX ?? ''), Number(process.env.SIZE));
});
