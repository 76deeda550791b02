/** Memory of a child process, for memory-growth checks (Linux: /proc). */
import { readFileSync } from 'node:fs';

/** Resident set size of process `pid`, bytes; throws where /proc is missing. */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
