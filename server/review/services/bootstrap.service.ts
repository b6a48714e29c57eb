import type { Pool } from 'pg';
import { withTransaction } from '../../../core/db';
import { countActiveAdmins, lockAdmins } from '../../../core/repositories/admin.repository';
import { enrolReviewer } from '../admin/admin.service';

// The first admin, enrolled straight into the database by whoever runs the server host (the
// review API cannot: it has no admin yet to authorise the call). Used by `admin:bootstrap`
// and by the console's `sori admin init` against a local stack.

export interface FirstAdmin {
  name: string;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
  certificate?: { signer: Uint8Array; signature: Uint8Array };
}

/** The new admin's id, or null when an active admin exists already (nothing is written). */
export async function bootstrapFirstAdmin(pool: Pool, admin: FirstAdmin): Promise<string | null> {
  return withTransaction(pool, async (tx) => {
    await lockAdmins(tx);
    if ((await countActiveAdmins(tx)) > 0) return null;
    return enrolReviewer(tx, null, { ...admin, role: 'admin' });
  });
}
