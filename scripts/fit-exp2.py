"""Fits the polynomial of crates/attnkit-core/src/exp.rs: p(f) = 1 + f·(c1 + f·(c2 + … + f·c5))
≈ 2^f on [−½, ½], minimising the largest relative error (Lawson's iteratively reweighted least
squares, which converges to the minimax fit), then reports the error of the coefficients
rounded to f32 and evaluated by Horner's rule in f32. Needs numpy (python3-numpy).

    python3 scripts/fit-exp2.py [degree]      # default 5
"""

import sys

import numpy as np

degree = int(sys.argv[1]) if len(sys.argv) > 1 else 5
f = np.linspace(-0.5, 0.5, 200_001)
target = 2.0**f
powers = np.stack([f**i for i in range(1, degree + 1)], axis=1)
weight = np.ones_like(f)
for _ in range(200):
    rel = weight / target
    coeffs, *_ = np.linalg.lstsq(powers * rel[:, None], (target - 1) * rel, rcond=None)
    err = (1 + powers @ coeffs - target) / target
    weight = np.maximum(weight * np.abs(err), 1e-300)
    weight /= weight.sum()
print(f"degree {degree}: largest relative error in f64 {np.abs(err).max():.3e}")

c32 = coeffs.astype(np.float32)
x = np.linspace(-0.5, 0.5, 2_000_001).astype(np.float32)
p = np.float32(c32[-1])
for c in c32[-2::-1]:
    p = (p * x + c).astype(np.float32)
p = (p * x + np.float32(1)).astype(np.float32)
exact = 2.0 ** x.astype(np.float64)
ulps = np.abs(p.astype(np.float64) - exact) / np.spacing(exact.astype(np.float32)).astype(np.float64)
print(f"rounded to f32, Horner in f32: {ulps.max():.2f} ulp at most")
print("coefficients c1..c%d:" % degree, ", ".join(repr(float(c)) for c in c32))
