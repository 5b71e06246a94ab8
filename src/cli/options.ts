/** Parsers for CLI option values; a bad value is a GC704 diagnostic naming the option. */
import { InvalidArgumentError } from 'commander';
import { BACKENDS, type BackendRequest } from '../runtime/backends.js';

export function positiveInteger(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${option} takes a positive integer, got '${value}'`);
    return n;
  };
}

export function nonNegativeInteger(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${option} takes a non-negative integer, got '${value}'`);
    return n;
  };
}

export function seedValue(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 0xffffffff) throw new InvalidArgumentError(`--seed takes an integer from 0 to 4294967295, got '${value}'`);
  return n;
}

export function backendValue(value: string): BackendRequest {
  if (!(BACKENDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`--backend takes one of ${BACKENDS.join(', ')}, got '${value}'`);
  return value as BackendRequest;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
