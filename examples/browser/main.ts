// Draws the toy model's attention weights for the typed sentence, one grid per head (rows:
// queries, columns: keys, darker = more attention, relative to the head's largest weight), on attnkit's wasm backend.
import { createEngine } from 'attnkit';
import { attend, toyEncoder } from '../toy-model.js';

const input = document.querySelector<HTMLInputElement>('#sentence')!;
const status = document.querySelector('#status')!;
const heads = document.querySelector('#heads')!;

const engine = await createEngine();
const encoder = toyEncoder(engine);
status.textContent = `backend: ${engine.backend}${engine.fallbackReason ? ` (${engine.fallbackReason})` : ''}`;

/** A grid cell; a weight cell is shaded by `shade` in [0, 1] and carries its exact value as its title. */
function cell(text: string, className = '', weight?: number, shade = 0): HTMLDivElement {
  const div = document.createElement('div');
  div.textContent = text;
  div.className = className;
  if (weight !== undefined) {
    div.title = String(weight);
    div.style.background = `rgba(30, 90, 200, ${shade})`;
    div.style.color = shade > 0.5 ? 'white' : 'black';
  }
  return div;
}

function draw(): void {
  const { tokens, weights } = attend(encoder, input.value);
  heads.replaceChildren(
    ...weights.map((head, h) => {
      const max = Math.max(...head.flat(), Number.MIN_VALUE); // shade relative to the head's largest weight
      const grid = document.createElement('div');
      grid.className = 'grid';
      grid.dataset.head = String(h);
      grid.style.gridTemplateColumns = `auto repeat(${tokens.length}, 1fr)`;
      grid.append(cell(`head ${h}`, 'label'), ...tokens.map((t) => cell(t, 'label')));
      head.forEach((row, i) => grid.append(cell(tokens[i], 'label'), ...row.map((w) => cell(w.toFixed(2), 'weight', w, w / max))));
      return grid;
    }),
  );
}

input.addEventListener('input', draw);
draw();
document.body.dataset.ready = 'true';
