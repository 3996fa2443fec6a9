import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * Seeded random draws for the synthetic market: uniform, standard normal (Box–Muller) and
 * gamma (Marsaglia–Tsang). Backed by pure-rand's xoroshiro128+, so the same seed gives the same
 * sequence on every machine; nothing here reads Math.random.
 */
export class RandomSource {
  private readonly rng: ReturnType<typeof xoroshiro128plus>;
  private spareNormal: number | undefined;

  /** `seed` is any 32-bit integer. */
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform on (0, 1]: safe to take a logarithm of. */
  uniformPositive(): number {
    return 1 - uniformFloat64(this.rng);
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniformPositive()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Gamma(shape, scale 1) for shape ≥ 1 (Marsaglia & Tsang 2000, squeeze-free form). */
  gamma(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(this.uniformPositive()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }
}
