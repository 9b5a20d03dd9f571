//! The BERT embeddings' sum: the one step of a BERT encoder that is not a layer kernel.
//!
//! out [B, S, E] ← word[ids[b, s]] + position[s] + token_type[type_ids[b, s]], with the
//! word table [V, E] in f32 or f16 (converted row by row as it is read), position [P, E]
//! and token_type [T, E] in f32. The LayerNorm that follows is `layernorm.rs`.

use crate::half::f16_to_f32;

/// The word table in its storage type.
pub enum Table<'a> {
    F32(&'a [f32]),
    F16(&'a [u16]),
}

/// out [B, S, E] ← word[ids] + position[s] + token_type[type_ids]; ids and type_ids [B, S].
pub fn bert_embeddings(word: Table, e: usize, ids: &[u32], position: &[f32], token_type: &[f32], type_ids: &[u32], batch: usize, seq: usize, out: &mut [f32]) {
    for b in 0..batch {
        for s in 0..seq {
            let i = b * seq + s;
            let (id, t) = (ids[i] as usize, type_ids[i] as usize);
            let (pos, typ) = (&position[s * e..(s + 1) * e], &token_type[t * e..(t + 1) * e]);
            let o = &mut out[i * e..(i + 1) * e];
            match word {
                Table::F32(w) => {
                    let row = &w[id * e..(id + 1) * e];
                    for j in 0..e {
                        o[j] = row[j] + pos[j] + typ[j];
                    }
                }
                Table::F16(w) => {
                    let row = &w[id * e..(id + 1) * e];
                    for j in 0..e {
                        o[j] = f16_to_f32(row[j]) + pos[j] + typ[j];
                    }
                }
            }
        }
    }
}
