/**
 * The built-in vocabulary and its deterministic embeddings.
 *
 * About 500 common English words, the worked example's words and common punctuation. Id 0 is `[UNK]`
 * (a zero vector). Every other word's vector is drawn from a generator (mulberry32) seeded
 * by a hash (FNV-1a) of the word mixed with `--seed`, uniform in [−0.5, 0.5): the same word
 * always gets the same vector for a given dim and seed, whatever else is in the vocabulary.
 * At dim 3 the worked example's four words get their own vectors ([0.1, 0.3, 0.5] …), so
 * `attnkit demo` reproduces its example.
 */

export const UNK = '[UNK]';

const WORDS = `the of and to a in is it you that he was for on are with as i his they be at one have this
from or had by hot word but what some we can out other were all there when up use your how said an each she
which do their time if will way about many then them write would like so these her long make thing see him two
has look more day could go come did number sound no most people my over know water than call first who may down
side been now find any new work part take get place made live where after back little only round man year came
show every good me give our under name very through just form sentence great think say help low line differ turn
cause much mean before move right boy old too same tell does set three want air well also play small end put
home read hand port large spell add even land here must big high such follow act why ask men change went light
kind off need house picture try us again animal point mother world near build self earth father head stand own
page should country found answer school grow study still learn plant cover food sun four between state keep eye
never last let thought city tree cross farm hard start might story saw far sea draw left late run don't while
press close night real life few north love machine learning cat sat mat dog model attention token tokens vector
embedding embeddings transformer language data neural network deep text sequence position encoding quick brown
fox jumps lazy am not it's i'm can't won't isn't seem next open begin together white children got walk example
ease paper group always music those both mark often letter until mile river car feet care second book carry took
science eat room friend began idea fish mountain stop once base hear horse cut sure watch color face wood main enough
plain girl usual young ready above ever red list though feel talk bird soon body family direct pose leave song
measure door product black short numeral class wind question happen complete ship area half rock order fire south
problem piece told knew pass since top whole king space heard best hour better true during hundred five remember
step early hold west ground interest reach fast verb sing listen six table travel less morning ten simple several
toward war lay against pattern slow center person money serve appear road map rain rule govern pull cold notice
voice unit power town fine certain fly fall lead cry dark note wait plan figure star box field rest correct able
pound done beauty drive stood contain front teach week final gave green oh quick develop ocean warm free minute
strong special mind behind clear tail produce fact street inch multiply nothing course stay wheel full force blue
object decide surface moon island foot system busy test record boat common gold possible plane age dry wonder laugh
thousand ago ran check game shape yes cool miss brought heat snow bed bring sit perhaps fill east weight
. , ! ? ; : ' " ( ) -`
  .split(/\s+/)
  .filter((w) => w.length > 0);

/** The worked example's 3-dimensional embeddings ([0.1, 0.3, 0.5] for "I" …). */
const SEED_VECTORS: Record<string, readonly number[]> = {
  i: [0.1, 0.3, 0.5],
  love: [0.2, 0.4, 0.6],
  machine: [0.3, 0.5, 0.7],
  learning: [0.4, 0.6, 0.8],
};

/** FNV-1a over the UTF-16 code units, then mixed with the random seed. */
function hash(word: string, seed: number): number {
  let h = 0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1);
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Vocabulary {
  /** Word → row of `table`; unknown words map to 0 ([UNK]). */
  ids: Map<string, number>;
  /** [words, dim]. */
  table: Float32Array;
  dim: number;
}

/** The built-in vocabulary with deterministic vectors of width `dim`. */
export function builtinVocabulary(dim: number, seed: number): Vocabulary {
  const words = [UNK, ...new Set(WORDS)];
  const table = new Float32Array(words.length * dim);
  words.forEach((word, id) => {
    if (id === 0) return; // [UNK] stays zero
    const seedVector = dim === 3 ? SEED_VECTORS[word] : undefined;
    const random = seededRandom(hash(word, seed));
    for (let c = 0; c < dim; c++) table[id * dim + c] = seedVector ? seedVector[c] : random() - 0.5;
  });
  return { ids: new Map(words.map((w, i) => [w, i])), table, dim };
}

/**
 * Ids of tokens: a token's surface form when the vocabulary has it (a cased GloVe file),
 * else its lower-case key; unknown → 0 ([UNK]). A plain string is a key.
 */
export function lookupIds(vocab: Vocabulary, tokens: readonly (string | { text: string; key: string })[]): Int32Array {
  return Int32Array.from(tokens, (t) => (typeof t === 'string' ? vocab.ids.get(t) : vocab.ids.get(t.text) ?? vocab.ids.get(t.key)) ?? 0);
}
