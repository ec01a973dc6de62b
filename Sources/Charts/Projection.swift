/// Two-dimensional views of higher-dimensional points, for scatter plots of latent spaces.
public enum Projection {
    /// The points' coordinates on their first two principal components (`count` rows of `d`
    /// values), and the share of variance each keeps. Two-dimensional input is returned as is.
    ///
    /// ```swift
    /// let (xy, explained) = Projection.principalComponents(codes, count: 1000, d: 3)
    /// ```
    public static func principalComponents(_ values: [Float], count: Int, d: Int) -> (points: [(Double, Double)], explained: (Double, Double)) {
        guard d > 2 else {
            return ((0..<count).map { (Double(values[$0 * d]), d > 1 ? Double(values[$0 * d + 1]) : 0) }, (1, d > 1 ? 1 : 0))
        }
        var mean = [Double](repeating: 0, count: d)
        for n in 0..<count { for j in 0..<d { mean[j] += Double(values[n * d + j]) } }
        mean = mean.map { $0 / Double(max(count, 1)) }
        var cov = [Double](repeating: 0, count: d * d)
        for n in 0..<count {
            for i in 0..<d {
                let a = Double(values[n * d + i]) - mean[i]
                for j in i..<d { cov[i * d + j] += a * (Double(values[n * d + j]) - mean[j]) }
            }
        }
        for i in 0..<d { for j in i..<d { cov[i * d + j] /= Double(max(count, 1)); cov[j * d + i] = cov[i * d + j] } }
        let (eigenvalues, eigenvectors) = jacobiEigen(cov, d: d)
        let order = eigenvalues.indices.sorted { eigenvalues[$0] > eigenvalues[$1] }
        let total = max(eigenvalues.reduce(0) { $0 + max($1, 0) }, 1e-300)
        let (first, second) = (order[0], order[1])
        let points = (0..<count).map { n -> (Double, Double) in
            var p = (0.0, 0.0)
            for j in 0..<d {
                let c = Double(values[n * d + j]) - mean[j]
                p.0 += c * eigenvectors[j * d + first]
                p.1 += c * eigenvectors[j * d + second]
            }
            return p
        }
        return (points, (max(eigenvalues[first], 0) / total, max(eigenvalues[second], 0) / total))
    }

    /// Eigenvalues and eigenvectors (columns) of a small symmetric matrix by cyclic Jacobi
    /// rotations; latent spaces have a handful of dimensions, so this is plenty.
    static func jacobiEigen(_ matrix: [Double], d: Int) -> ([Double], [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: d * d)
        for i in 0..<d { v[i * d + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<d { for j in (i + 1)..<d where j < d { off += a[i * d + j] * a[i * d + j] } }
            if off < 1e-22 { break }
            for p in 0..<d {
                for q in (p + 1)..<d where q < d && abs(a[p * d + q]) > 1e-300 {
                    let theta = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<d {
                        let akp = a[k * d + p], akq = a[k * d + q]
                        a[k * d + p] = c * akp - s * akq
                        a[k * d + q] = s * akp + c * akq
                    }
                    for k in 0..<d {
                        let apk = a[p * d + k], aqk = a[q * d + k]
                        a[p * d + k] = c * apk - s * aqk
                        a[q * d + k] = s * apk + c * aqk
                    }
                    for k in 0..<d {
                        let vkp = v[k * d + p], vkq = v[k * d + q]
                        v[k * d + p] = c * vkp - s * vkq
                        v[k * d + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<d).map { a[$0 * d + $0] }, v)
    }
}
