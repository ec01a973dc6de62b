import Foundation
import Randomness

/// Isolation Forest (Liu, Ting and Zhou, 2008): random trees that split a random feature at a
/// random value; anomalies are isolated in fewer splits. Score s(x) = 2^(−E[h(x)] / c(ψ)), in
/// (0, 1], larger meaning more anomalous.
struct IsolationForest: Detector {
    private enum Node {
        case leaf(size: Int)
        case split(feature: Int, value: Float, left: Int, right: Int)
    }

    private var trees: [[Node]] = []
    private let subsample: Int
    private let d: Int

    init(_ x: [Float], count: Int, d: Int, trees: Int, subsample: Int, rng: inout RandomGenerator) {
        self.d = d
        self.subsample = min(subsample, count)
        let heightLimit = Int(ceil(log2(Double(max(self.subsample, 2)))))
        for _ in 0..<max(trees, 1) {
            var indices = Array(0..<count)
            rng.shuffle(&indices)
            var nodes: [Node] = []
            _ = Self.build(Array(indices.prefix(self.subsample)), depth: 0, limit: heightLimit, x: x, d: d, nodes: &nodes, rng: &rng)
            self.trees.append(nodes)
        }
    }

    /// Appends the subtree for `rows` and returns its root's position.
    private static func build(_ rows: [Int], depth: Int, limit: Int, x: [Float], d: Int, nodes: inout [Node], rng: inout RandomGenerator) -> Int {
        let position = nodes.count
        nodes.append(.leaf(size: rows.count))
        guard depth < limit, rows.count > 1 else { return position }
        // A random feature that varies within the node (constant ones cannot split it).
        var feature = -1, low: Float = 0, high: Float = 0
        var candidates = Array(0..<d)
        while !candidates.isEmpty {
            let pick = rng.index(below: candidates.count)
            let f = candidates[pick]
            candidates.swapAt(pick, candidates.count - 1)
            candidates.removeLast()
            low = .infinity; high = -.infinity
            for r in rows { let v = x[r * d + f]; low = min(low, v); high = max(high, v) }
            if high > low { feature = f; break }
        }
        guard feature >= 0 else { return position }
        let value = low + Float(rng.uniform()) * (high - low)
        let left = rows.filter { x[$0 * d + feature] < value }, right = rows.filter { x[$0 * d + feature] >= value }
        let l = build(left, depth: depth + 1, limit: limit, x: x, d: d, nodes: &nodes, rng: &rng)
        let r = build(right, depth: depth + 1, limit: limit, x: x, d: d, nodes: &nodes, rng: &rng)
        nodes[position] = .split(feature: feature, value: value, left: l, right: r)
        return position
    }

    /// c(n): the average path length of an unsuccessful search in a binary search tree of n items.
    static func averagePathLength(_ n: Int) -> Double {
        if n <= 1 { return 0 }
        if n == 2 { return 1 }
        let harmonic = log(Double(n - 1)) + 0.5772156649015329
        return 2 * harmonic - 2 * Double(n - 1) / Double(n)
    }

    func score(_ x: [Float], count: Int) -> [Double] {
        let normaliser = Self.averagePathLength(subsample)
        return (0..<count).map { n in
            var total = 0.0
            for tree in trees {
                var node = 0, depth = 0
                while case .split(let feature, let value, let left, let right) = tree[node] {
                    node = x[n * d + feature] < value ? left : right
                    depth += 1
                }
                if case .leaf(let size) = tree[node] { total += Double(depth) + Self.averagePathLength(size) }
            }
            return pow(2, -(total / Double(trees.count)) / normaliser)
        }
    }
}
