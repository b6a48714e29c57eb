import type { Pool } from 'pg';
import { unavailable } from '../../core/errors';
import {
  findCurrentIntakeKey,
  listAcceptingIntakeKeyIds,
} from '../../core/repositories/intake-key.repository';

export interface PublishedIntakeKey {
  id: string;
  publicKey: string;
  fingerprint: string;
  accepting: string[];
}

export function createIntakeKeyService(deps: { pool: Pool }) {
  return {
    async current(): Promise<PublishedIntakeKey> {
      const key = await findCurrentIntakeKey(deps.pool);
      if (!key)
        throw unavailable(
          'INTAKE_KEY_MISSING',
          'No intake key is registered yet: start the worker (npm run start:worker, or node dist/worker/main.js with INTAKE_SECRET_KEY_FILE set); it registers its key on start',
        );
      const accepting = await listAcceptingIntakeKeyIds(deps.pool);
      return {
        id: key.id,
        publicKey: key.publicKey.toString('base64url'),
        fingerprint: key.fingerprint,
        accepting,
      };
    },
  };
}

export type IntakeKeyService = ReturnType<typeof createIntakeKeyService>;
