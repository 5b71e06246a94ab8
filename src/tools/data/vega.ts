/**
 * Two real data sets of the npm package vega-datasets, as the CSV files the
 * shipped regression and forecasting examples train on:
 *
 * - cars (data/cars.json, the UCI Auto MPG data): predict Miles_per_Gallon
 *   from the other columns. Rows with any missing number are dropped (406 →
 *   392: six lack a Horsepower, eight a Miles_per_Gallon). In the package's
 *   order, every fifth kept row (the 5th, 10th, ...) is a test row. The
 *   features are written standardised: each numeric column minus the
 *   training rows' mean, divided by their standard deviation (population);
 *   Origin is one-hot; the target, mpg, is left in miles per gallon.
 * - seattle (data/seattle-weather.csv, daily weather 2012–2015): the series
 *   split by time, 2012–2014 to train and 2015 to test, so that no test day
 *   is ever inside a training window. Each day keeps its date and raw
 *   temp_max (°C, the target), beside standardised columns (the training
 *   days' mean and deviation) and the day of the year as a point on a circle.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the vega-datasets package's data files (its exports name only its script). */
function vegaData(file: string): string {
  const entry = fileURLToPath(import.meta.resolve('vega-datasets'));
  return readFileSync(join(dirname(dirname(entry)), 'data', file), 'utf8');
}

/** A column's mean and standard deviation (population), over the training rows. */
export interface ColumnStats {
  readonly mean: number;
  readonly std: number;
}

function stats(values: readonly number[]): ColumnStats {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Six decimals: standardised values as text, the same on every machine. */
const fixed = (value: number): string => {
  const text = value.toFixed(6);
  return text === '-0.000000' ? '0.000000' : text;
};

export interface VegaCsv {
  readonly train: string;
  readonly test: string;
  /** Each standardised column's training mean and deviation, for the record (the command prints them). */
  readonly stats: Readonly<Record<string, ColumnStats>>;
  readonly rows: { readonly train: number; readonly test: number; readonly dropped: number };
}

interface Car {
  readonly Miles_per_Gallon: number | null;
  readonly Cylinders: number | null;
  readonly Displacement: number | null;
  readonly Horsepower: number | null;
  readonly Weight_in_lbs: number | null;
  readonly Acceleration: number | null;
  readonly Year: string;
  readonly Origin: 'USA' | 'Europe' | 'Japan';
}

export const CARS_FEATURES = ['cylinders', 'displacement', 'horsepower', 'weight', 'acceleration', 'model_year', 'origin_usa', 'origin_europe', 'origin_japan'] as const;
const CARS_NUMERIC = ['cylinders', 'displacement', 'horsepower', 'weight', 'acceleration', 'model_year'] as const;

export function carsCsv(): VegaCsv {
  const cars = JSON.parse(vegaData('cars.json')) as Car[];
  const kept = cars.filter((c) => [c.Miles_per_Gallon, c.Cylinders, c.Displacement, c.Horsepower, c.Weight_in_lbs, c.Acceleration].every((v) => typeof v === 'number'));
  const rows = kept.map((c) => ({
    cylinders: c.Cylinders!,
    displacement: c.Displacement!,
    horsepower: c.Horsepower!,
    weight: c.Weight_in_lbs!,
    acceleration: c.Acceleration!,
    model_year: Number(c.Year.slice(0, 4)),
    origin: c.Origin,
    mpg: c.Miles_per_Gallon!,
  }));
  const isTest = (i: number): boolean => i % 5 === 4;
  const trainRows = rows.filter((_, i) => !isTest(i));
  const columnStats = Object.fromEntries(CARS_NUMERIC.map((name) => [name, stats(trainRows.map((r) => r[name]))])) as Record<string, ColumnStats>;
  const header = [...CARS_FEATURES, 'mpg'].join(',');
  const line = (r: (typeof rows)[number]): string =>
    [
      ...CARS_NUMERIC.map((name) => fixed((r[name] - columnStats[name]!.mean) / columnStats[name]!.std)),
      ...(['USA', 'Europe', 'Japan'] as const).map((o) => (r.origin === o ? '1' : '0')),
      String(r.mpg),
    ].join(',');
  const train = [header, ...trainRows.map(line)];
  const test = [header, ...rows.filter((_, i) => isTest(i)).map(line)];
  return { train: `${train.join('\n')}\n`, test: `${test.join('\n')}\n`, stats: columnStats, rows: { train: train.length - 1, test: test.length - 1, dropped: cars.length - kept.length } };
}

export const SEATTLE_COLUMNS = ['date', 'temp_max', 'temp_max_z', 'temp_min_z', 'precipitation_z', 'wind_z', 'season_sin', 'season_cos'] as const;
const SEATTLE_STANDARDISED = ['temp_max', 'temp_min', 'precipitation', 'wind'] as const;
/** The first year of the test split: every earlier day trains. */
export const SEATTLE_TEST_YEAR = 2015;

export function seattleCsv(): VegaCsv {
  const [head, ...lines] = vegaData('seattle-weather.csv').trim().split('\n');
  const names = head!.split(',');
  const days = lines.map((l) => {
    const cells = l.split(',');
    const get = (name: string): string => cells[names.indexOf(name)]!;
    return { date: get('date'), temp_max: Number(get('temp_max')), temp_min: Number(get('temp_min')), precipitation: Number(get('precipitation')), wind: Number(get('wind')) };
  });
  const isTest = (d: { date: string }): boolean => Number(d.date.slice(0, 4)) >= SEATTLE_TEST_YEAR;
  const trainDays = days.filter((d) => !isTest(d));
  const columnStats = Object.fromEntries(SEATTLE_STANDARDISED.map((name) => [name, stats(trainDays.map((d) => d[name]))])) as Record<string, ColumnStats>;
  const z = (d: (typeof days)[number], name: (typeof SEATTLE_STANDARDISED)[number]): string => fixed((d[name] - columnStats[name]!.mean) / columnStats[name]!.std);
  const line = (d: (typeof days)[number]): string => {
    const year = Number(d.date.slice(0, 4));
    const dayOfYear = (Date.parse(`${d.date}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000;
    const angle = (2 * Math.PI * dayOfYear) / 365.25;
    return [d.date, String(d.temp_max), ...SEATTLE_STANDARDISED.map((name) => z(d, name)), fixed(Math.sin(angle)), fixed(Math.cos(angle))].join(',');
  };
  const train = [SEATTLE_COLUMNS.join(','), ...trainDays.map(line)];
  const test = [SEATTLE_COLUMNS.join(','), ...days.filter(isTest).map(line)];
  return { train: `${train.join('\n')}\n`, test: `${test.join('\n')}\n`, stats: columnStats, rows: { train: train.length - 1, test: test.length - 1, dropped: 0 } };
}

/**
 * The persistence forecast's mean absolute error on a series: tomorrow's
 * value is today's. `from` skips the first targets (a window of length L has
 * its first target at row L, so its baseline starts there too).
 */
export function persistenceMae(series: readonly number[], from = 1): number {
  let sum = 0;
  for (let t = Math.max(1, from); t < series.length; t++) sum += Math.abs(series[t]! - series[t - 1]!);
  return sum / (series.length - Math.max(1, from));
}
