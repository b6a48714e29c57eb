import { initCrypto } from '../crypto';
import { reportToParent } from './children';
import { benchUpload } from './upload';

// The upload section in a process of its own (bench/run.ts): its read-back decrypts in a heap
// that has not just run the intake and pipeline load.

reportToParent(async () => {
  await initCrypto();
  return benchUpload();
});
