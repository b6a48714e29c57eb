// Decrypted attachments the desk has shown, kept in this process's memory so that a video's
// byte-range requests are served without fetching and decrypting it again each time. Bounded
// (the least recently shown go first) and wiped when the desk locks; never written anywhere.

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export class FileCache {
  private readonly files = new Map<string, Buffer>();
  private readonly loading = new Map<string, Promise<Buffer>>();
  private bytes = 0;
  /** Bumped by clear(): a load that started before a lock is not kept after it. */
  private generation = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  async get(key: string, load: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.files.get(key);
    if (hit) {
      this.files.delete(key);
      this.files.set(key, hit);
      return hit;
    }
    // A player asks for several ranges at once: one fetch and decryption serves them all.
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const p = load().finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    const bytes = await p;
    if (generation === this.generation) this.keep(key, bytes);
    return bytes;
  }

  private keep(key: string, bytes: Buffer): void {
    if (bytes.length > this.maxBytes || this.files.has(key)) return;
    this.files.set(key, bytes);
    this.bytes += bytes.length;
    for (const [k, b] of this.files) {
      if (this.bytes <= this.maxBytes) break;
      // Dropped, not zeroed: an answer being written may still be reading it.
      this.files.delete(k);
      this.bytes -= b.length;
    }
  }

  /** On lock: every decrypted file overwritten and forgotten. */
  clear(): void {
    this.generation += 1;
    for (const b of this.files.values()) b.fill(0);
    this.files.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.files.size;
  }
}
