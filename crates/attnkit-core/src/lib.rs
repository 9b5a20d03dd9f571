//! attnkit-core: the kernels behind attnkit — embedding lookup, positional encodings and
//! self-attention — compiled to WebAssembly SIMD128 and called from TypeScript through the
//! plain C ABI in `exports.rs`.
//!
//! Dimension letters, used in every kernel's shape comment:
//! - `N` ids looked up, `R` rows of an embedding table, `E` embedding (model) width
//! - `B` batch, `S` query length, `T` key/value length
//! - `H` query heads, `Hkv` key/value heads, `D` head width
//!
//! Every tensor is a row-major `f32` slice. The kernels trust their arguments: the TS
//! package validates shapes, ids and options before any call, so a kernel never has to
//! report an error. Each fast kernel keeps a `*_naive` twin beside it as its reference.

pub mod attention;
pub mod bert;
pub mod embedding;
pub mod exp;
pub mod exports;
pub mod gelu;
pub mod half;
pub mod layernorm;
pub mod linear;
pub mod profile;
pub mod rope;
pub mod simd;
pub mod sinusoidal;
pub mod vectors;
