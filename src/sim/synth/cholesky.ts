import { invalidInput } from "../../core/errors.ts";

/**
 * Lower-triangular Cholesky factor L (row-major n×n) of a symmetric positive-definite matrix
 * (row-major n×n), so that L·Lᵀ = matrix. Used to correlate innovations: z = L·ε.
 * Throws an `invalid_input` error naming `field` if the matrix is not positive definite.
 */
export function choleskyLower(matrix: Float64Array, n: number, field = "correlation"): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(sum > 1e-12)) throw invalidInput(field, "correlation matrix is not positive definite");
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / (l[j * n + j] as number);
      }
    }
  }
  return l;
}
