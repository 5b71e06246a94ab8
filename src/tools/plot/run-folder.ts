/** Run folders: where `graphc run` puts a run's results, and redrawing their curves. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/fs.js';
import { CURVES_FILE, readRun, renderCurves } from './curves.js';

export const RUNS_DIR = 'runs';

/** runs/<model>-<YYYYMMDD-HHMMSS>/ in local time; a suffix when that folder exists already. */
export function defaultRunFolder(model: string, date: Date = new Date(), root = RUNS_DIR): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  const base = join(root, `${model}-${stamp}`);
  let folder = base;
  for (let i = 2; existsSync(folder); i++) folder = `${base}-${i}`;
  return folder;
}

/** Redraws DIR/curves.svg from DIR/metrics.jsonl; returns its path. */
export async function drawRunCurves(dir: string): Promise<string> {
  const path = join(dir, CURVES_FILE);
  writeFileAtomic(path, await renderCurves([readRun(dir)]));
  return path;
}
