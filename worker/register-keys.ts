import type { Pool } from 'pg';
import { withTransaction } from '../core/db';
import type { Logger } from '../core/logger';
import {
  lockKeyRegistration,
  registerIntakeKey,
  registerServiceKey,
} from '../core/repositories/service-key.repository';
import type { WorkerKeys } from './keys';

// At start the worker publishes the public halves of its keys: the server reads the current
// intake key from intake_keys to give clients, and `sori verify` reads the custody signing key
// from service_keys. Secret halves never reach Postgres.

export async function registerWorkerKeys(db: Pool, keys: WorkerKeys, log: Logger): Promise<void> {
  await withTransaction(db, async (tx) => {
    await lockKeyRegistration(tx);
    for (const key of keys.intake) {
      const status = await registerIntakeKey(tx, {
        id: key.id,
        publicKey: key.keyPair.publicKey,
        fingerprint: key.fingerprint,
      });
      if (status) log.info('intake_key.registered', { intakeKeyId: key.id, status });
    }
    await registerServiceKey(tx, {
      id: keys.worker.signId,
      purpose: 'worker-sign',
      publicKey: keys.worker.sign.publicKey,
    });
    await registerServiceKey(tx, {
      id: keys.worker.boxId,
      purpose: 'worker-box',
      publicKey: keys.worker.box.publicKey,
    });
  });
}
