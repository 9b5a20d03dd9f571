//! Where the attention kernel's time goes, phase by phase, for `bench/attention-profile.ts`.
//!
//! With the `profile` feature the module imports a clock, `env.attnkit_clock` (ms, e.g.
//! `performance.now`), sums the time of each [`Phase`] and exports
//! `attnkit_profile_take(phase)`, which returns a phase's sum and resets it (the phase
//! `CLOCKS` counts the clock's calls, so that a script can subtract what they cost).
//! Without the feature [`now`] and [`add`] are empty and inline to nothing: the shipped
//! module has no import and no extra code.

/// The parts of one attention call, in the order a call meets them.
#[derive(Clone, Copy)]
pub enum Phase {
    /// The working memory the export allocates (exports.rs).
    Scratch = 0,
    /// Whether V holds NaN or ±∞ (which picks the row-wise path).
    Finite = 1,
    /// Packing K and V into the micro-kernel's panels.
    Pack = 2,
    /// Pass 1: scores S_c ← Q_blk·K_cᵀ.
    Scores = 3,
    /// Pass 2: masks, the online softmax's maximum, 2^(s − m) and sums.
    Softmax = 4,
    /// Pass 3: O_blk ← α·O_blk + P_c·V_c.
    Values = 5,
    /// Q_blk·scale in, out ← O_blk / l (and weights) out.
    Rows = 6,
}

/// Phases, plus the slot that counts the clock's calls.
pub const PHASES: usize = 7;
/// `attnkit_profile_take(CLOCKS)`: how many times the clock was read.
pub const CLOCKS: usize = PHASES;

#[cfg(feature = "profile")]
mod imp {
    use super::{Phase, CLOCKS, PHASES};

    extern "C" {
        fn attnkit_clock() -> f64;
    }

    /// ms per phase, then the count of clock calls. The kernel runs on one thread per
    /// instance (threads are separate instances), so a plain static is enough.
    static mut TOTALS: [f64; PHASES + 1] = [0.0; PHASES + 1];

    #[inline(always)]
    pub fn now() -> f64 {
        // SAFETY: the import is the host's clock; TOTALS is only touched by this thread.
        unsafe {
            TOTALS[CLOCKS] += 1.0;
            attnkit_clock()
        }
    }

    /// Adds the time since `since` to `phase`; returns now, the next phase's start.
    #[inline(always)]
    pub fn add(phase: Phase, since: f64) -> f64 {
        let t = now();
        // SAFETY: as in `now`.
        unsafe { TOTALS[phase as usize] += t - since };
        t
    }

    #[no_mangle]
    pub extern "C" fn attnkit_profile_take(slot: u32) -> f64 {
        // SAFETY: as in `now`; an out-of-range slot reads nothing.
        unsafe {
            match TOTALS.get_mut(slot as usize) {
                Some(x) => core::mem::replace(x, 0.0),
                None => 0.0,
            }
        }
    }
}

#[cfg(not(feature = "profile"))]
mod imp {
    use super::Phase;

    #[inline(always)]
    pub fn now() -> f64 {
        0.0
    }

    #[inline(always)]
    pub fn add(_phase: Phase, _since: f64) -> f64 {
        0.0
    }
}

pub use imp::{add, now};
