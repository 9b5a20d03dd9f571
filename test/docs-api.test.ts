// docs/API.md against the code: every runtime export of the built package, every exported
// type of packages/attnkit/src (index.ts and what it re-exports) and every member of each
// exported interface is mentioned in the docs' code (code blocks and `inline code`), and
// every `engine.<name>` the docs use exists on an engine of each backend; the docs' list of
// `ACCURACY.<op>; // value` lines gives every bound the package exports, with its value.
// A missing or stale name is reported by name.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as attnkit from 'attnkit';
import { createEngine, type Engine } from 'attnkit';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../packages/attnkit/src/', import.meta.url);
const DOCS = readFileSync(fileURLToPath(new URL('../docs/API.md', import.meta.url)), 'utf8');

function source(file: string): string {
  return readFileSync(fileURLToPath(new URL(file, SRC)), 'utf8');
}

/** The text with comments removed (JSDoc and line comments), so commented-out code does not count. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** A relative module specifier ('./types.js') as a file of src ('types.ts'), from `from`'s folder. */
function resolve(from: string, specifier: string): string {
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  return new URL(specifier.replace(/\.js$/, '.ts'), new URL(dir, 'file:///')).pathname.slice(1);
}

/** A declaration exported by the package: its name and the file that declares it. */
interface Exported {
  name: string;
  file: string;
}

/**
 * The names `file` exports: its own `export` declarations, `export { … }` lists and, for
 * `export * from` / `export type * from`, everything the other file exports.
 */
function exportedNames(file: string, seen = new Set<string>()): Exported[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = stripComments(source(file));
  const names: Exported[] = [];
  for (const m of text.matchAll(/^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) {
    names.push({ name: m[1], file });
  }
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}(?:\s*from\s*'([^']+)')?/gm)) {
    const origin = m[2] !== undefined && m[2].startsWith('.') ? resolve(file, m[2]) : file;
    for (const item of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      const [local, alias] = item.replace(/^type\s+/, '').split(/\s+as\s+/);
      names.push({ name: alias ?? local, file: alias === undefined ? origin : file });
    }
  }
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\*\s+as\s+([A-Za-z_$][\w$]*)\s+from/gm)) names.push({ name: m[1], file });
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\*\s+from\s*'([^']+)'/gm)) names.push(...exportedNames(resolve(file, m[1]), seen));
  return names;
}

/** The top-level member names of `export interface name { … }` in `file` (none when it is not an interface). */
function interfaceMembers(file: string, name: string): string[] {
  const text = stripComments(source(file));
  const start = new RegExp(`^export\\s+interface\\s+${name}\\b[^{]*\\{`, 'm').exec(text);
  if (start === null) return [];
  const members: string[] = [];
  let depth = 0;
  let member = '';
  for (let i = start.index + start[0].length; i < text.length; i++) {
    const c = text[i];
    if (depth === 0 && c === '}') break;
    if ('{(['.includes(c)) depth++;
    if ('})]'.includes(c)) depth--;
    if (depth === 0 && (c === ';' || c === '\n')) {
      const m = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*[(:<]/.exec(member);
      if (m !== null) members.push(m[1]);
      if (c === ';' || m !== null || member.trim() === '') member = '';
      else member += c;
      continue;
    }
    member += c;
  }
  return members;
}

/** The docs' code: fenced blocks and `inline code` spans. */
function codeOf(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const rest = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const spans = [...rest.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...blocks, ...spans].join('\n');
}

/** The names of `names` that `code` does not contain as a whole word. */
function unmentioned(names: readonly string[], code: string): string[] {
  return [...new Set(names)].filter((name) => !new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(code));
}

/** Every `engine.<name>` in the text. */
function engineNames(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(/\bengine\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]))];
}

/** `ACCURACY.<path>; // <value>, …` lines of the docs: path → the value's expression. */
function documentedBounds(markdown: string): Map<string, string> {
  return new Map([...markdown.matchAll(/^ACCURACY\.([\w.]+);\s*\/\/\s*([^,\n]+)/gm)].map((m) => [m[1], m[2].trim()]));
}

/** Every numeric leaf of a nested object, as dotted path → value. */
function leaves(value: unknown, prefix = ''): Map<string, number> {
  if (typeof value === 'number') return new Map([[prefix, value]]);
  return new Map(Object.entries(value as object).flatMap(([key, v]) => [...leaves(v, prefix ? `${prefix}.${key}` : key)]));
}

/** A documented value: a number literal, or `a ** b` / `a * b ** c` of number literals. */
function valueOf(expression: string): number {
  const m = /^(?:([\d.e+-]+)\s*\*\s*)?([\d.e+-]+)(?:\s*\*\*\s*([\d.e+-]+))?$/.exec(expression);
  if (m === null) return NaN;
  return (m[1] === undefined ? 1 : Number(m[1])) * Number(m[2]) ** (m[3] === undefined ? 1 : Number(m[3]));
}

const code = codeOf(DOCS);
const exported = exportedNames('index.ts');
const runtimeExports = Object.keys(attnkit).filter((name) => name !== 'default');
const interfaces = exported.map(({ name, file }) => ({ name, members: interfaceMembers(file, name) })).filter((i) => i.members.length > 0);

describe('the checks themselves', () => {
  it('read the exports of index.ts, including everything types.ts exports and re-exports', () => {
    const names = exported.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['createEngine', 'Engine', 'EngineOptions', 'ModuleSource', 'Ids', 'Source', 'LoadOptions', 'LoadProgress']));
    expect(runtimeExports).toContain('createEngine');
    expect(interfaceMembers('types.ts', 'Engine')).toEqual(expect.arrayContaining(['backend', 'fallbackReason', 'memoryBytes', 'threads', 'embeddingLookup', 'encoder']));
    expect(interfaceMembers('types.ts', 'EngineOptions')).toEqual(['backend', 'module', 'threads']);
  });

  it('report a name the docs leave out, by name', () => {
    const without = codeOf(DOCS.replace(/\bcreateEngine\b/g, 'makeEngine').replace(/\bLoadProgress\b/g, 'Progress'));
    expect(unmentioned(['createEngine', 'LoadProgress', 'Engine'], without)).toEqual(['createEngine', 'LoadProgress']);
    expect(unmentioned(['Engine'], '`EngineOptions` and engine')).toEqual(['Engine']);
    expect(engineNames('call `engine.frobnicate(x)` then engine.backend')).toEqual(['frobnicate', 'backend']);
    expect([valueOf('0'), valueOf('2 ** -23'), valueOf('4 * 2 ** -23'), valueOf('5e-6')]).toEqual([0, 2 ** -23, 4 * 2 ** -23, 5e-6]);
    expect(documentedBounds('ACCURACY.attention.fewKeys;    // 5e-6, fewer than 256 keys')).toEqual(new Map([['attention.fewKeys', '5e-6']]));
  });
});

describe('docs/API.md', () => {
  it('mentions every runtime export of the built package', () => {
    expect(unmentioned(runtimeExports, code), 'runtime exports of attnkit missing from docs/API.md').toEqual([]);
  });

  it('mentions every exported name of packages/attnkit/src/index.ts (types included)', () => {
    expect(unmentioned(exported.map((e) => e.name), code), 'exports missing from docs/API.md').toEqual([]);
  });

  it('mentions every member of every exported interface (options, results, resident objects)', () => {
    const missing = interfaces.flatMap(({ name, members }) => unmentioned(members, code).map((member) => `${name}.${member}`));
    expect(missing, 'interface members missing from docs/API.md').toEqual([]);
  });

  it('documents every Engine member as engine.<name>', () => {
    const documented = new Set(engineNames(DOCS));
    const missing = interfaceMembers('types.ts', 'Engine').filter((name) => !documented.has(name));
    expect(missing, 'Engine members never written as engine.<name> in docs/API.md').toEqual([]);
  });

  it('lists every ACCURACY bound with the value the package exports', () => {
    const documented = documentedBounds(DOCS);
    const exportedBounds = leaves((attnkit as Record<string, unknown>).ACCURACY ?? {});
    expect(exportedBounds.size).toBeGreaterThan(0);
    const wrong = [...exportedBounds].filter(([path, value]) => valueOf(documented.get(path) ?? '') !== value).map(([path, value]) => `ACCURACY.${path} = ${value}, documented ${documented.get(path) ?? 'nowhere'}`);
    const stale = [...documented.keys()].filter((path) => !exportedBounds.has(path)).map((path) => `ACCURACY.${path} (not exported)`);
    expect([...wrong, ...stale], 'ACCURACY bounds in docs/API.md that differ from the package').toEqual([]);
  });

  it.each(['wasm', 'ts'] as const)('uses only engine.<name>s that exist on a %s engine', async (backend) => {
    const engine: Engine = await createEngine({ backend });
    const names = engineNames(DOCS);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !(name in engine)), `engine.<name>s in docs/API.md that a ${backend} engine lacks`).toEqual([]);
  });
});
