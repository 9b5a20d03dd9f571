// Draws the toy model's attention weights for the typed sentence, one grid per head (rows:
// queries, columns: keys, darker = more attention), on attnkit's wasm backend.
import { createEngine } from 'attnkit';
import { attend, toyEncoder } from '../toy-model.js';

const input = document.querySelector<HTMLInputElement>('#sentence')!;
const status = document.querySelector('#status')!;
const heads = document.querySelector('#heads')!;

const engine = await createEngine();
const encoder = toyEncoder(engine);
status.textContent = `backend: ${engine.backend}${engine.fallbackReason ? ` (${engine.fallbackReason})` : ''}`;

function cell(text: string, className = '', weight?: number): HTMLDivElement {
  const div = document.createElement('div');
  div.textContent = text;
  div.className = className;
  if (weight !== undefined) {
    div.title = String(weight);
    div.style.background = `rgba(30, 90, 200, ${weight})`;
    div.style.color = weight > 0.5 ? 'white' : 'black';
  }
  return div;
}

function draw(): void {
  const { tokens, weights } = attend(encoder, input.value);
  heads.replaceChildren(
    ...weights.map((head, h) => {
      const grid = document.createElement('div');
      grid.className = 'grid';
      grid.dataset.head = String(h);
      grid.style.gridTemplateColumns = `auto repeat(${tokens.length}, 1fr)`;
      grid.append(cell(`head ${h}`, 'label'), ...tokens.map((t) => cell(t, 'label')));
      head.forEach((row, i) => grid.append(cell(tokens[i], 'label'), ...row.map((w) => cell(w.toFixed(2), 'weight', w))));
      return grid;
    }),
  );
}

input.addEventListener('input', draw);
draw();
document.body.dataset.ready = 'true';
