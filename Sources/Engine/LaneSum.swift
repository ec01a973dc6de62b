/// A sum of Floats in double precision, in a fixed order that still runs several additions at
/// once: value i goes to running sum i mod 8, and the eight sums are added pairwise at the end.
/// The order depends only on the values' positions, so the bits do not depend on the machine.
///
/// ```swift
/// var sum = LaneSum()
/// sum.add(values, count: 256)   // counts that are multiples of 8, but for the last
/// let total = sum.total
/// ```
struct LaneSum {
    static let lanes = 8
    private var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0

    /// Adds `count` values; the next call starts again at lane 0, so every call but the last
    /// should add a multiple of 8 values.
    @inline(__always)
    mutating func add(_ v: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            s0 += Double(v[i]); s1 += Double(v[i + 1]); s2 += Double(v[i + 2]); s3 += Double(v[i + 3])
            s4 += Double(v[i + 4]); s5 += Double(v[i + 5]); s6 += Double(v[i + 6]); s7 += Double(v[i + 7])
            i += 8
        }
        let rest = count - i
        if rest > 0 { s0 += Double(v[i]) }
        if rest > 1 { s1 += Double(v[i + 1]) }
        if rest > 2 { s2 += Double(v[i + 2]) }
        if rest > 3 { s3 += Double(v[i + 3]) }
        if rest > 4 { s4 += Double(v[i + 4]) }
        if rest > 5 { s5 += Double(v[i + 5]) }
        if rest > 6 { s6 += Double(v[i + 6]) }
    }

    var total: Double { ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) }
}
