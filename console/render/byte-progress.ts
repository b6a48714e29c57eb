// Progress of one long transfer in bytes, on stderr, only when stderr is a terminal and the
// transfer is big enough to wait for (small files finish before a bar would be read).

const MIN_BYTES = 4 * 1024 * 1024;
const MiB = 1024 * 1024;

export interface ByteProgress {
  update(done: number): void;
  done(): void;
}

export function byteProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): ByteProgress {
  if (!stream.isTTY || total < MIN_BYTES) return { update: () => undefined, done: () => undefined };
  let last = -1;
  return {
    update(done) {
      const pct = Math.min(100, Math.floor((done / total) * 100));
      if (pct === last) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      const text = `\r${bar} ${pct}% ${(done / MiB).toFixed(1)}/${(total / MiB).toFixed(1)} MiB ${label}`;
      stream.write(text.slice(0, (stream.columns || 80) - 1) + '\x1b[K');
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
