/**
 * The attention weights [S, S] as an SVG heatmap: one <rect> per (query, key) cell shaded
 * from white (0) to deep blue (1), token labels on both axes (rows: queries, columns: keys),
 * a colour scale, and the values in the cells when the sentence is short enough to read them
 * (up to 16 tokens). Cells are 48 px up to 16 tokens, then shrink to keep the grid near 768 px.
 */

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const clip = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);

function shade(w: number): string {
  const t = Number.isNaN(w) ? 0 : Math.min(Math.max(w, 0), 1);
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 8)},${mix(255, 48)},${mix(255, 107)})`;
}

/** `caption`: the line under the title saying what rows and columns are. */
export function heatmapSvg(weights: Float32Array, labels: readonly string[], title: string, caption = 'rows (queries) attend to columns (keys)'): string {
  const n = labels.length;
  const values = n <= 16;
  const cell = values ? 48 : Math.max(10, Math.floor(768 / n));
  const font = Math.min(13, cell - 1); // label size: one label per cell
  const names = labels.map(clip);
  const left = 24 + Math.ceil(0.62 * font * Math.max(...names.map((l) => l.length), 4));
  const top = left + 40;
  // Wide enough for the title too (about 7.5 px a character at 14 px).
  const width = Math.max(left + n * cell + 80, Math.ceil(left + title.length * 7.5 + 16));
  const height = top + n * cell + 24;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<title>${escape(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="18" font-size="14">${escape(title)}</text>`,
    `<text x="${left}" y="34" font-size="11" fill="#555">${escape(caption)}</text>`,
  ];
  for (let i = 0; i < n; i++) {
    const y = top + i * cell;
    parts.push(`<text x="${left - 8}" y="${y + cell / 2 + font / 3}" text-anchor="end" font-size="${font}">${escape(names[i])}</text>`);
    const x = left + i * cell + cell / 2;
    parts.push(`<text x="${x}" y="${top - 8}" text-anchor="start" font-size="${font}" transform="rotate(-60 ${x} ${top - 8})">${escape(names[i])}</text>`);
    for (let j = 0; j < n; j++) {
      const w = weights[i * n + j];
      const cx = left + j * cell;
      parts.push(`<rect x="${cx}" y="${y}" width="${cell}" height="${cell}" fill="${shade(w)}" stroke="white"><title>${escape(labels[i])} → ${escape(labels[j])}: ${w.toFixed(4)}</title></rect>`);
      if (values) parts.push(`<text x="${cx + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" fill="${w > 0.5 ? 'white' : 'black'}">${w.toFixed(2)}</text>`);
    }
  }
  // Colour scale: 0 at the bottom, 1 at the top.
  const sx = left + n * cell + 24;
  for (let k = 0; k < 10; k++) {
    parts.push(`<rect x="${sx}" y="${top + ((9 - k) * n * cell) / 10}" width="16" height="${(n * cell) / 10}" fill="${shade((k + 0.5) / 10)}"/>`);
  }
  parts.push(`<text x="${sx + 20}" y="${top + 10}">1</text>`, `<text x="${sx + 20}" y="${top + n * cell}">0</text>`, '</svg>');
  return parts.join('\n') + '\n';
}
