import type { Command } from 'commander';
import { Option } from 'commander';
import { probeAll, REMEDIES, systemFacts, type ProbeResult, type SystemFacts } from '../../tools/doctor/checks.js';
import { RUNTIME_PACKAGES, installedVersion } from '../../runtime/versions.js';
import { graphcVersion } from '../../common/version.js';

interface Report {
  readonly graphc: string;
  readonly node: string;
  readonly packages: Readonly<Record<string, string | null>>;
  readonly system: SystemFacts;
  readonly backends: readonly ProbeResult[];
}

function textReport(r: Report): string {
  const lines = [`graphc ${r.graphc} on Node ${r.node} (${r.system.platform})`, '', 'packages:'];
  const width = Math.max(...Object.keys(r.packages).map((p) => p.length));
  for (const [pkg, version] of Object.entries(r.packages)) lines.push(`  ${pkg.padEnd(width)}  ${version ?? 'not installed'}`);
  lines.push('', 'system:');
  lines.push(`  NVIDIA driver        ${r.system.nvidiaDriver ?? 'none (no /proc/driver/nvidia/version)'}`);
  const cuda = Object.entries(r.system.cudaLibraries).map(([lib, dir]) => (dir ? `${lib} in ${dir}` : `${lib} not found`));
  lines.push(`  CUDA 11.2 / cuDNN 8.1  ${cuda.join('; ')}`);
  lines.push(`  Vulkan drivers       ${r.system.vulkanDrivers.length > 0 ? r.system.vulkanDrivers.join(', ') : 'none (no ICD manifest in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d)'}`);
  lines.push('', 'backends (each tried in a process of its own):');
  for (const b of r.backends) {
    if (b.backend === 'auto') continue;
    const time = `ready in ${b.seconds.toFixed(1)} s`;
    if (b.ok) {
      lines.push(`  ok    ${b.backend.padEnd(10)}  ${b.device} (${time})`);
      if (b.gemmPlan !== undefined) lines.push(`        ${''.padEnd(10)}  GEMM ${b.gemmPlan}`);
    } else {
      lines.push(`  no    ${b.backend.padEnd(10)}  ${b.reason}`);
      lines.push(`        ${''.padEnd(10)}  fix: ${REMEDIES[b.backend]}`);
    }
  }
  const auto = r.backends.find((b) => b.backend === 'auto');
  lines.push('', auto?.ok ? `--backend auto picks ${auto.chosen} here.` : `no backend works here: ${auto?.reason ?? 'see above'}`);
  return `${lines.join('\n')}\n`;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check this machine: which backends load and compute (and why not, and how to fix it), the device each finds, Node and package versions')
    .addOption(new Option('--format <format>', 'how the report is printed').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ graphc doctor\n  $ graphc doctor --format json\n')
    .action(async (opts: { format: 'text' | 'json' }) => {
      const report: Report = {
        graphc: graphcVersion(),
        node: process.versions.node,
        packages: Object.fromEntries(RUNTIME_PACKAGES.map((p) => [p, installedVersion(p) ?? null])),
        system: systemFacts(),
        backends: await probeAll(),
      };
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : textReport(report));
      if (!report.backends.some((b) => b.ok)) process.exitCode = 1;
    });
}

