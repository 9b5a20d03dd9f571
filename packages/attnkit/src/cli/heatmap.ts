/**
 * The attention weights [S, S] as a terminal heatmap: rows are queries, columns keys.
 *
 * Up to COMPACT_FROM − 1 tokens: a table with each weight's value. With colour (a TTY),
 * each cell is a background of the 256-colour grey ramp (black 0 … white 1); without, a
 * shade character (' ░▒▓█' for 0 … 1) before the value, so a pipe or a file stays legible.
 * From COMPACT_FROM tokens on, two characters a cell without values, numbered columns, and
 * shades relative to each row's largest weight (long rows spread thin: 1/S is small), so
 * every row shows where its query looks most.
 */

import { num } from './format.js';

const SHADES = [' ', '░', '▒', '▓', '█'];
export const COMPACT_FROM = 17;
const RESET = '\x1b[0m';

const clamp01 = (w: number) => (Number.isNaN(w) ? 0 : Math.min(Math.max(w, 0), 1));
const shadeChar = (t: number) => SHADES[Math.min(SHADES.length - 1, Math.floor(clamp01(t) * SHADES.length))];

/** Grey-ramp background (232 black … 255 white) and a foreground readable on it. */
function ansiCell(t: number, text: string): string {
  const level = 232 + Math.round(clamp01(t) * 23);
  const fg = level > 245 ? 30 : 97;
  return `\x1b[48;5;${level}m\x1b[${fg}m${text}${RESET}`;
}

export function heatmap(weights: Float32Array, labels: readonly string[], color: boolean): string {
  return labels.length >= COMPACT_FROM ? compact(weights, labels, color) : table(weights, labels, color);
}

function table(weights: Float32Array, labels: readonly string[], color: boolean): string {
  const n = labels.length;
  const labelWidth = Math.max(...labels.map((l) => l.length), 5);
  // Columns wide enough for the labels (up to 9 characters) while the table fits 100 columns.
  let cell = Math.min(Math.max(...labels.map((l) => l.length + 1), 7), 10);
  if (labelWidth + 1 + n * cell > 100) cell = 7;
  const head = ' '.repeat(labelWidth + 1) + labels.map((l) => l.slice(0, cell - 1).padStart(cell)).join('');
  const lines = [head];
  for (let i = 0; i < n; i++) {
    let line = labels[i].padStart(labelWidth) + ' ';
    for (let j = 0; j < n; j++) {
      const w = weights[i * n + j];
      const text = num(Math.round(w * 100) / 100).padStart(4); // two decimals of a weight in [0, 1]
      line += color ? ansiCell(w, `${text.padStart(cell - 1)} `) : `${shadeChar(w)} ${text}`.padStart(cell);
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function compact(weights: Float32Array, labels: readonly string[], color: boolean): string {
  const n = labels.length;
  const number = (i: number) => String(i + 1).padStart(String(n).length);
  const labelWidth = Math.min(Math.max(...labels.map((l) => l.length)), 16);
  const indent = ' '.repeat(number(0).length + 1 + labelWidth + 1);
  const lines = [`${indent}columns 1…${n} are the same tokens; shades relative to each row's largest weight`];
  // A two-line ruler: tens digit over columns 10 and on, units digit below.
  lines.push(indent + Array.from(labels, (_, j) => (j + 1 >= 10 ? String(Math.floor((j + 1) / 10) % 10) : ' ').padStart(2)).join(''));
  lines.push(indent + Array.from(labels, (_, j) => String((j + 1) % 10).padStart(2)).join(''));
  for (let i = 0; i < n; i++) {
    let line = `${number(i)} ${labels[i].slice(0, labelWidth).padStart(labelWidth)} `;
    let max = 0;
    for (let j = 0; j < n; j++) if (weights[i * n + j] > max) max = weights[i * n + j];
    const scale = max > 0 ? 1 / max : 0;
    for (let j = 0; j < n; j++) {
      const t = weights[i * n + j] * scale;
      line += color ? ansiCell(t, '  ') : shadeChar(t).repeat(2);
    }
    lines.push(line);
  }
  return lines.join('\n');
}
