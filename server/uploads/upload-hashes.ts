import { sha256Stream } from '../../crypto';

// Each upload's ciphertext hash, kept running as its PATCHes commit, so completion need not read
// the whole upload back; a hash lost (another process, a restart) only means that read-back.
// server/SERVER.md (Uploads).

type Hasher = ReturnType<typeof sha256Stream>;

interface Running {
  hasher: Hasher;
  /** Bytes [0, through) of the upload are in the hash. */
  through: number;
}

export interface UploadHashes {
  /** The running hash if it covers exactly [0, offset); otherwise null (and it is dropped). */
  take(id: string, offset: number): Hasher | null;
  /** Keeps a hash covering [0, through) for the next PATCH. */
  keep(id: string, hasher: Hasher, through: number): void;
  drop(id: string): void;
  readonly size: number;
}

/** At most `max` in memory (oldest dropped first): each is a few hundred bytes. */
export function createUploadHashes(max = 1000): UploadHashes {
  const running = new Map<string, Running>();
  // A dropped state is finalised: libsodium frees its state only then.
  const release = (r: Running | undefined): void => void r?.hasher.digestHex();
  const drop = (id: string): void => {
    release(running.get(id));
    running.delete(id);
  };
  return {
    take(id, offset) {
      const r = running.get(id);
      running.delete(id);
      if (r && r.through === offset) return r.hasher;
      release(r);
      return offset === 0 ? sha256Stream() : null;
    },
    keep(id, hasher, through) {
      drop(id); // re-inserted last, so the map's order stays oldest first
      running.set(id, { hasher, through });
      if (running.size > max) drop(running.keys().next().value as string);
    },
    drop,
    get size() {
      return running.size;
    },
  };
}
