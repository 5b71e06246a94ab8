/**
 * One load of `graphc data bench`, in a process of its own: argv FORMAT DIR
 * [CSV_THREADS].
 * Prints one JSON line (a LoadFigure). The peak is the kernel's high-water
 * mark (getrusage) after the load; the RSS before is the current one after a
 * garbage collection, so peak − before bounds what the load itself needed
 * (from above: the high-water mark may date from importing).
 */
import { loadSplit } from '../../runtime/data/files.js';
import { benchConfig, type BenchFormat, type LoadFigure } from './bench.js';

const [format, dir, threads] = process.argv.slice(2) as [BenchFormat, string, string | undefined];
const config = benchConfig(format);
// Started with --expose-gc: what importing left behind is collected, so the RSS before is what the load starts from.
(globalThis as { gc?: () => void }).gc?.();
const rssBeforeBytes = process.memoryUsage().rss;
const cpuStart = process.cpuUsage();
const start = performance.now();
const examples = await loadSplit(config, config.train, dir, threads !== undefined ? { threads: Number(threads) } : {});
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const peakRssBytes = process.resourceUsage().maxRSS * 1024;
const figure: LoadFigure = {
  format,
  ...(threads !== undefined ? { threads: Number(threads) } : {}),
  examples: examples.count,
  seconds,
  cpuSeconds,
  rssBeforeBytes,
  peakRssBytes,
  // The data as float32: every column, features and label (60000 × 785 × 4 bytes for MNIST).
  float32Bytes: (examples.features.length + examples.count) * 4,
};
process.stdout.write(`${JSON.stringify(figure)}\n`);
