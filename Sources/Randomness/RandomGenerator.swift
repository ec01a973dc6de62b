/// The project's seeded random generator: xoshiro256** seeded through splitmix64.
///
/// Every random choice (initialisation, shuffling, the VAE's ε, data splits) draws from one of
/// these, never from the system generator, so the same seed gives the same numbers on every run.
///
/// ```swift
/// var rng = RandomGenerator(seed: 12)
/// let u = rng.uniform()        // [0, 1)
/// let z = rng.normal()         // N(0, 1)
/// ```
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// Box–Muller yields normals in pairs; the second is kept for the next call.
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// A generator for a named purpose, independent of draws made from this one.
    public func derived(_ stream: UInt64) -> RandomGenerator {
        RandomGenerator(seed: s0 ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ s3)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1), 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * Float(uniform())
    }

    /// Standard normal, by the Box–Muller transform.
    public mutating func normal() -> Double {
        if let spare = spareNormal { spareNormal = nil; return spare }
        var u1 = uniform()
        while u1 <= Double.leastNormalMagnitude { u1 = uniform() }
        let u2 = uniform()
        let radius = (-2 * _log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * _sin(angle)
        return radius * _cos(angle)
    }

    /// A uniformly random integer in 0..<bound, without modulo bias.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next(upperBound: UInt64(bound)))
    }

    /// Fisher–Yates shuffle of `indices` in place.
    public mutating func shuffle(_ indices: inout [Int]) {
        guard indices.count > 1 else { return }
        for i in stride(from: indices.count - 1, to: 0, by: -1) {
            indices.swapAt(i, index(below: i + 1))
        }
    }
}

// Plain libm, so results do not depend on Foundation's overlays.
#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Darwin.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
