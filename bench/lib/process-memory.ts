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

/** CPU seconds (user + system) a process has used so far (Linux /proc, 100 ticks a second); null once it has exited. */
export const cpuSeconds = (pid: number): number | null => {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
};

export const ownCpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
