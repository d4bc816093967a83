// Timing for the benchmarks: an operation called a number of times after a warm-up call, its p50 and p95, and a line that prints them beside a baseline.
export type Timing = { p50: number; p95: number };

export async function timeCalls(rounds: number, operation: (i: number) => Promise<unknown>): Promise<Timing> {
  await operation(-1);
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await operation(i);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { p50: at(50), p95: at(95) };
}

export function timingLine(label: string, timing: Timing, baseline?: Timing): string {
  const ratio = baseline ? `  ${(timing.p95 / baseline.p95).toFixed(2)}× baseline (p95)` : "";
  return `${label.padEnd(58)} p50 ${timing.p50.toFixed(1).padStart(7)} ms  p95 ${timing.p95.toFixed(1).padStart(7)} ms${ratio}`;
}
