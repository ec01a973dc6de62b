/// eˣ in single precision, written so that a loop calling it vectorises: libm's `expf` is a
/// call per value, and a sigmoid output or a cross-entropy loss calls it for every pixel of every
/// sample (31 % of a dense autoencoder's training time went there).
///
/// Within 2 ulp of the exact value (`ExponentialTests` checks it against double precision). Every
/// step is a separate multiplication or addition, never a fused one, and the code has no branch
/// and no call, so every CPU, with or without vectors, gives the same bits.
///
/// ```swift
/// let e = Exponential.exp(-abs(a))   // in (0, 1]
/// ```
enum Exponential {
    /// Below this, eˣ is under the smallest normal Float (2⁻¹²⁶): the result is 0.
    static let lowest: Float = -87.33
    /// Above this, 2ⁿ would need an exponent of 128: the result is +∞ (a little early: e^88.72 is
    /// the largest Float). The engine only needs exponents of values at most 0, and of log-variances.
    static let highest: Float = 88.37

    @inline(__always)
    static func exp(_ x: Float) -> Float {
        // Comparisons that are false for NaN, so that NaN goes through to the result.
        let clamped = x < lowest ? lowest : (x > highest ? highest : x)
        // n = round(x / ln 2): adding 1.5 · 2²³ leaves n in the low bits of the sum's significand
        // (|n| ≤ 127 here), read back as an integer without a conversion that could trap.
        let shifted = clamped * log2e + roundingShift
        let n = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: roundingShift.bitPattern)
        let nearest = shifted - roundingShift
        // r = x − n · ln 2, |r| ≤ ln 2 / 2. ln 2 is split in two: n · ln2High is exact (ln2High has
        // 9 significant bits), and so is the first subtraction, which cancels.
        let r = (clamped - nearest * ln2High) - nearest * ln2Low
        // eʳ by Taylor's series to r⁷/7!: the next term is below 7.2e-9 of eʳ, a tenth of an ulp.
        let p: Float = 1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))))
        let scale = Float(bitPattern: UInt32(bitPattern: (n &+ 127) &<< 23))
        let result = p * scale
        return x < lowest ? 0 : (x > highest ? Float.infinity : result)
    }

    private static let log2e: Float = 1.442_695_04
    private static let roundingShift: Float = 12_582_912   // 1.5 · 2²³
    private static let ln2High: Float = 0.693_359_375     // 355 / 512
    private static let ln2Low: Float = -2.121_944_4e-4    // ln 2 − 355 / 512
}
