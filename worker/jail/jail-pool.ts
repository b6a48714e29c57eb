import { Jail, JailUnavailable, type JailOptions } from './jail';

// Jails started ahead of need, so a submission does not wait for node and Perl to load. A jail
// is handed out once and never comes back: the pool only ever holds jails no file has reached.

export class JailPool {
  private readonly idle: Jail[] = [];
  /** Jails started and not yet ready: close() kills them too. */
  private readonly pending = new Set<Jail>();
  private starting = 0;
  private closed = false;

  constructor(
    private readonly options: JailOptions,
    private readonly size: number,
  ) {}

  /** Jails started and waiting (the bench waits for a warm pool between submissions). */
  get waiting(): number {
    return this.idle.filter((j) => j.alive).length;
  }

  /** Starts one jail and waits for it (JailUnavailable if it cannot), then fills the pool. */
  async check(): Promise<void> {
    const jail = await this.start();
    this.idle.push(jail);
    this.fill();
  }

  /** An unused, ready jail: from the pool if one is waiting, else started now. */
  async take(): Promise<Jail> {
    if (this.closed) throw new JailUnavailable('worker is stopping');
    let jail = this.idle.shift();
    while (jail !== undefined && !jail.alive) jail = this.idle.shift();
    this.fill();
    jail ??= await this.start();
    jail.hold(true);
    return jail;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.idle.splice(0), ...this.pending].map((j) => j.destroy()));
  }

  private fill(): void {
    while (!this.closed && this.idle.length + this.starting < this.size) {
      this.starting += 1;
      this.start().then(
        (jail) => {
          this.starting -= 1;
          if (this.closed) void jail.destroy();
          else this.idle.push(jail);
        },
        () => {
          // Counted as not started; the next take() starts one itself and reports why.
          this.starting -= 1;
        },
      );
    }
  }

  private async start(): Promise<Jail> {
    const jail = new Jail(this.options);
    jail.hold(false);
    this.pending.add(jail);
    try {
      await jail.ready();
    } finally {
      this.pending.delete(jail);
    }
    return jail;
  }
}
