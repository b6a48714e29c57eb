/** Counts what a cleaner removed, by human-readable label (never a value), for the report. */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(label: string, n = 1): void {
    if (n > 0) this.counts.set(label, (this.counts.get(label) ?? 0) + n);
  }

  list(): string[] {
    return [...this.counts].map(([label, n]) => (n === 1 ? label : `${label} (${n})`));
  }
}
