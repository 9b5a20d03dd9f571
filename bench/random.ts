/**
 * Seeded inputs for the benchmarks: the tests' generator and filler (mulberry32,
 * test/helpers/random.ts), so every run and every runner sees the same numbers.
 */

export { rng as seeded, uniform } from '../test/helpers/random.js';
