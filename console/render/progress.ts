// A one-line progress bar on stderr, drawn only when stderr is a terminal (never in logs or
// pipes, where carriage returns make a mess).

export interface Progress {
  tick(label?: string): void;
  done(): void;
}

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 0) return { tick: () => undefined, done: () => undefined };
  let n = 0;
  const draw = (label: string): void => {
    const width = 30;
    const filled = Math.round((n / total) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    stream.write(`\r${bar} ${n}/${total} ${label}`.slice(0, (stream.columns || 80) - 1) + '\x1b[K');
  };
  draw('');
  return {
    tick(label = '') {
      n = Math.min(total, n + 1);
      draw(label);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
