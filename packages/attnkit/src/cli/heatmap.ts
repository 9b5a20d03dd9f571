/**
 * The attention weights [S, S] as a terminal heatmap: rows are queries, columns keys.
 * With colour (a TTY), each cell is a background shade of the 256-colour grey ramp with
 * its value; without, a shade character and the value, so a pipe or a file stays legible.
 */

import { num } from './format.js';

const SHADES = [' ', '░', '▒', '▓', '█'];

export function heatmap(weights: Float32Array, labels: readonly string[], color: boolean): string {
  const n = labels.length;
  const labelWidth = Math.max(...labels.map((l) => l.length), 5);
  const cell = 6;
  const head = ' '.repeat(labelWidth + 1) + labels.map((l) => l.slice(0, cell - 1).padStart(cell)).join('');
  const lines = [head];
  for (let i = 0; i < n; i++) {
    let line = labels[i].padStart(labelWidth) + ' ';
    for (let j = 0; j < n; j++) {
      const w = weights[i * n + j];
      const text = num(Math.round(w * 100) / 100).padStart(cell - 1);
      if (color) {
        const level = 232 + Math.round(Math.min(Math.max(w, 0), 1) * 23); // grey ramp 232..255
        const fg = level > 245 ? 30 : 97;
        line += `\x1b[48;5;${level}m\x1b[${fg}m${text} \x1b[0m`;
      } else {
        line += SHADES[Math.min(SHADES.length - 1, Math.floor(Math.max(w, 0) * SHADES.length))] + text;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}
