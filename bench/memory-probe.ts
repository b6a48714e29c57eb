import { renameSync, writeFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';

// Preloaded into a child under test (node --expose-gc -r): on SIGUSR2 it collects garbage
// fully and writes the child's memory to BENCH_MEMORY_PROBE, so the bench reads the live set
// beside RSS. BENCH_HEAP_SNAPSHOT_DIR also takes a heap snapshot each time (diagnosis only).

const out = process.env.BENCH_MEMORY_PROBE;
const snapshots = process.env.BENCH_HEAP_SNAPSHOT_DIR;
const gc = (globalThis as { gc?: () => void }).gc;

if (out && gc) {
  let n = 0;
  process.on('SIGUSR2', () => {
    // Two passes: the first can leave objects that only become unreachable once weak
    // callbacks and finalisers of the first have run.
    gc();
    gc();
    const m = process.memoryUsage();
    if (snapshots)
      writeHeapSnapshot(`${snapshots}/${process.pid}-${String(n++).padStart(2, '0')}.heapsnapshot`);
    writeFileSync(`${out}.tmp`, JSON.stringify(m));
    renameSync(`${out}.tmp`, out);
  });
}
