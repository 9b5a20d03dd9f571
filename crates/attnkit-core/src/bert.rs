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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::half::{f16_to_f32, f32_to_f16};

    #[test]
    fn sums_the_three_rows_with_an_f32_or_an_f16_word_table() {
        let (v, e, p, t) = (5usize, 6usize, 4usize, 2usize);
        let word: Vec<f32> = (0..v * e).map(|i| f16_to_f32(f32_to_f16(i as f32 * 0.37 - 3.0))).collect();
        let word16: Vec<u16> = word.iter().map(|&x| f32_to_f16(x)).collect();
        let position: Vec<f32> = (0..p * e).map(|i| i as f32 * 0.01).collect();
        let token_type: Vec<f32> = (0..t * e).map(|i| 100.0 + i as f32).collect();
        let (ids, type_ids) = ([4u32, 0, 2, 2, 1, 3], [1u32, 0, 0, 1, 1, 0]);
        let (batch, seq) = (2, 3);
        let mut a = vec![f32::NAN; batch * seq * e];
        let mut b = vec![f32::NAN; batch * seq * e];
        bert_embeddings(Table::F32(&word), e, &ids, &position, &token_type, &type_ids, batch, seq, &mut a);
        bert_embeddings(Table::F16(&word16), e, &ids, &position, &token_type, &type_ids, batch, seq, &mut b);
        for bi in 0..batch {
            for s in 0..seq {
                let i = bi * seq + s;
                for j in 0..e {
                    let want = word[ids[i] as usize * e + j] + position[s * e + j] + token_type[type_ids[i] as usize * e + j];
                    assert_eq!(a[i * e + j], want, "f32 table, row {} col {}", i, j);
                    assert_eq!(b[i * e + j], want, "f16 table, row {} col {}", i, j);
                }
            }
        }
    }
}
