import COpenBLAS
import Engine

/// Means, covariances and Cholesky factors in Double precision, for the Gaussian detectors.
enum SampleStatistics {
    /// Per-feature mean of `count` rows of `d` values.
    static func mean(_ x: [Float], count: Int, d: Int) -> [Double] {
        var mean = [Double](repeating: 0, count: d)
        for n in 0..<count { for j in 0..<d { mean[j] += Double(x[n * d + j]) } }
        return mean.map { $0 / Double(max(count, 1)) }
    }

    /// Population covariance (d × d, row-major), through BLAS products on centred data. Rows are
    /// centred in double precision a block at a time (2²⁰ values, 8 MB, unless `rowsPerBlock`
    /// says otherwise): a centred copy of all 60,000 MNIST images would take 376 MB.
    static func covariance(_ x: [Float], count: Int, d: Int, mean: [Double], rowsPerBlock: Int? = nil) -> [Double] {
        let rowsPerBlock = max(1, rowsPerBlock ?? (1 << 20) / max(d, 1))
        var centred = [Double](repeating: 0, count: min(count, rowsPerBlock) * d)
        var cov = [Double](repeating: 0, count: d * d)
        for first in stride(from: 0, to: count, by: rowsPerBlock) {
            let rows = min(rowsPerBlock, count - first)
            for n in 0..<rows { for j in 0..<d { centred[n * d + j] = Double(x[(first + n) * d + j]) - mean[j] } }
            centred.withUnsafeBufferPointer { c in
                cov.withUnsafeMutableBufferPointer { out in
                    BLAS.symmetricRankK(n: d, k: rows, alpha: 1 / Double(max(count, 1)), a: c.baseAddress!,
                                        beta: first == 0 ? 0 : 1, c: out.baseAddress!)
                }
            }
        }
        for i in 0..<d { for j in 0..<i { cov[i * d + j] = cov[j * d + i] } }
        return cov
    }

    /// Lower-triangular L with L·Lᵀ = a (row-major d × d), or nil when a is not positive definite.
    static func cholesky(_ a: [Double], d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var sum = a[i * d + j]
                for k in 0..<j { sum -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * d + i] = sum.squareRoot()
                } else {
                    l[i * d + j] = sum / l[j * d + j]
                }
            }
        }
        return l
    }

    /// ‖L⁻¹ (x − mean)‖², the squared Mahalanobis distance, by forward substitution.
    static func mahalanobisSquared(_ x: ArraySlice<Float>, mean: [Double], cholesky l: [Double], d: Int, scratch: inout [Double]) -> Double {
        var sum = 0.0
        var i = 0
        for value in x {
            var v = Double(value) - mean[i]
            for k in 0..<i { v -= l[i * d + k] * scratch[k] }
            v /= l[i * d + i]
            scratch[i] = v
            sum += v * v
            i += 1
        }
        return sum
    }

    /// Eigenvalues (descending) and eigenvectors (columns of a row-major d × d matrix, in the
    /// same order) of a symmetric matrix, through LAPACK's dsyevd.
    static func symmetricEigen(_ a: [Double], d: Int) throws -> (values: [Double], vectors: [Double]) {
        BLAS.prepare()
        // LAPACK is column-major; a symmetric matrix is its own transpose.
        var matrix = a
        var values = [Double](repeating: 0, count: d)
        var n = Int32(d), lda = Int32(d), info: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workSize = 0.0, iworkSize: Int32 = 0
        let jobz = Int8(UInt8(ascii: "V")), uplo = Int8(UInt8(ascii: "U"))
        var j = jobz, u = uplo
        dsyevd_(&j, &u, &n, &matrix, &lda, &values, &workSize, &lwork, &iworkSize, &liwork, &info)
        lwork = Int32(workSize); liwork = iworkSize
        var work = [Double](repeating: 0, count: Int(lwork)), iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&j, &u, &n, &matrix, &lda, &values, &work, &lwork, &iwork, &liwork, &info)
        guard info == 0 else { throw DetectionError("the eigen-decomposition failed (LAPACK info \(info))") }
        // Column k of the column-major result is eigenvector k; LAPACK sorts ascending.
        var vectors = [Double](repeating: 0, count: d * d)
        for k in 0..<d { for i in 0..<d { vectors[i * d + k] = matrix[(d - 1 - k) * d + i] } }
        return (values.reversed(), vectors)
    }
}
