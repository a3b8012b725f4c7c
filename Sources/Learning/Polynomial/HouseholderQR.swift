/// Least squares by Householder QR, in Double: min ‖A x − b‖₂ for a tall m×n matrix A.
///
/// QR is backward stable, unlike the normal equations AᵀA x = Aᵀb whose condition number is
/// the square of A's (Golub & Van Loan, Matrix Computations, §5.3). FLOPs, counted as they
/// run, follow the textbook total of about 2n²(m − n/3) for the factorisation.
struct HouseholderQR {
    /// Solves the least-squares problem.
    ///
    /// - Parameters:
    ///   - matrix: m×n, row-major, m ≥ n.
    ///   - rightHandSide: m values.
    ///   - flops: Receives the FLOPs executed.
    /// - Returns: The n coefficients.
    /// - Throws: `LearningError.underdetermined` when A is rank deficient (a column is, to
    ///   working precision, a combination of the others).
    static func solve(matrix: [Double], rows m: Int, columns n: Int, rightHandSide: [Double], flops: inout Int) throws -> [Double] {
        precondition(matrix.count == m * n && rightHandSide.count == m)
        guard m >= n else {
            throw LearningError.underdetermined(reason: "\(m) equations for \(n) unknowns")
        }
        var a = matrix, b = rightHandSide
        var largestDiagonal = 0.0
        for column in 0..<n {
            // Householder vector for a[column..., column].
            var norm = 0.0
            for row in column..<m { norm += a[row * n + column] * a[row * n + column] }
            norm = norm.squareRoot()
            flops += 2 * (m - column) + 1
            let pivot = a[column * n + column]
            let alpha = pivot > 0 ? -norm : norm
            largestDiagonal = max(largestDiagonal, abs(alpha))
            if norm == 0 || abs(alpha) <= 1e-12 * largestDiagonal {
                throw LearningError.underdetermined(
                    reason:
                        "column \(column) of the design matrix is linearly dependent on the others (too few distinct x values for this degree?)"
                )
            }
            var v = [Double](repeating: 0, count: m - column)
            v[0] = pivot - alpha
            for row in (column + 1)..<m { v[row - column] = a[row * n + column] }
            var vNorm2 = 0.0
            for value in v { vNorm2 += value * value }
            flops += 2 * v.count + 1
            // Apply H = I − 2 v vᵀ / (vᵀv) to the remaining columns and to b.
            for target in column..<n {
                var dot = 0.0
                for row in column..<m { dot += v[row - column] * a[row * n + target] }
                let factor = 2 * dot / vNorm2
                for row in column..<m { a[row * n + target] -= factor * v[row - column] }
                flops += 4 * (m - column) + 2
            }
            var dot = 0.0
            for row in column..<m { dot += v[row - column] * b[row] }
            let factor = 2 * dot / vNorm2
            for row in column..<m { b[row] -= factor * v[row - column] }
            flops += 4 * (m - column) + 2
        }
        // Back substitution R x = Qᵀ b.
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for column in (row + 1)..<n { sum -= a[row * n + column] * x[column] }
            x[row] = sum / a[row * n + row]
            flops += 2 * (n - row - 1) + 1
        }
        return x
    }
}
