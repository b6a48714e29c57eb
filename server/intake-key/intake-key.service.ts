import type { Pool } from 'pg';
import { AppError, E } from '../../core/errors';
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
      if (!key) throw new AppError(E.INTAKE_KEY_MISSING);
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
