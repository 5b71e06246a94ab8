/**
 * A worker thread of a parallel CSV load (csv.ts): parses its part of the
 * file and writes its rows into the shared arrays, at its row offset.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GraphcError } from '../../common/diagnostics/diagnostic.js';
import { parseCsvRange, storeRecord, type CsvWorkerData, type CsvWorkerReply } from './csv.js';
import type { StoredRow } from './formats/shared.js';
import { labelReader } from './values.js';

const { path, layout, classes, part, features, labelIds } = workerData as CsvWorkerData;
const width = layout.featureIndex.length;
const allFeatures = new Float32Array(features);
const allIds = new Int32Array(labelIds);
const labels = labelReader(classes);
// Workers parse only plain tables (float features and a class label: formats/csv.ts), so a row is its features and its id.
const stored: StoredRow = { features: allFeatures.subarray(0, 0), targets: new Float32Array(0), id: -1, length: 0 };

async function parsePart(): Promise<CsvWorkerReply> {
  let row = part.rowOffset;
  const end = part.rowOffset + part.rows;
  try {
    await parseCsvRange(path, layout.file, part, (record, line) => {
      // More records than the plan counted would write into the next part's rows.
      if (row >= end) throw new Error(`the part from line ${part.firstLine} holds more than the ${part.rows} records counted`);
      stored.features = allFeatures.subarray(row * width, (row + 1) * width);
      storeRecord(layout, labels, record, line, stored);
      allIds[row] = stored.id;
      row++;
    });
  } catch (error) {
    if (error instanceof GraphcError) return { ok: false, diagnostics: error.diagnostics };
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (row !== end) return { ok: false, message: `the part from line ${part.firstLine} holds ${row - part.rowOffset} records, ${part.rows} were counted` };
  return { ok: true, rows: part.rows };
}

parentPort!.postMessage(await parsePart());
