import { readFileSync } from 'node:fs';

/** Peak resident set size of a process so far (Linux VmHWM), in MiB; null once it has exited. */
export const peakRssMiB = (pid: number): number | null => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
};

export const ownPeakRssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
