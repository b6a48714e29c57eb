import { availableParallelism } from 'node:os';

// What measured CPU costs allow on this machine: the busiest Sori process is one JavaScript
// thread, so its CPU per operation bounds it (times its process count); and the counted processes
// share the cores, so their CPU per operation together bounds the whole.

export const CORES = availableParallelism();

export interface CpuCeiling {
  /** CPU ms per operation of the bounding process(es), and of every counted process. */
  mainMs: number;
  totalMs: number;
  /** Operations/s the bounding processes could reach if their threads never waited. */
  mainBound: number;
  /** Operations/s the counted processes could reach on CORES cores, perfectly overlapped. */
  coreCeiling: number;
}

export function cpuCeiling(
  cpuSeconds: Record<string, number>,
  operations: number,
  main: { name: string; processes: number },
  counted: readonly string[],
): CpuCeiling | null {
  if (operations === 0) return null;
  const ms = (name: string): number => ((cpuSeconds[name] ?? 0) * 1000) / operations;
  const mainMs = ms(main.name);
  const totalMs = counted.reduce((sum, name) => sum + ms(name), 0);
  if (mainMs <= 0 || totalMs <= 0) return null;
  return {
    mainMs,
    totalMs,
    mainBound: (main.processes * 1000) / mainMs,
    coreCeiling: (CORES * 1000) / totalMs,
  };
}

export const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');
