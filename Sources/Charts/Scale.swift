#if canImport(Glibc)
import Glibc
#endif

/// A linear map from data values to pixels, with "nice" tick values (1, 2 or 5 times a power
/// of ten) covering the domain.
struct LinearScale {
    var domain: (Double, Double)
    var range: (Double, Double)
    /// The distance between ticks.
    var step: Double

    /// `integer`: ticks only at whole numbers (epochs, counts), never at 1.2.
    init(domain: (Double, Double), range: (Double, Double), nice: Bool = true, integer: Bool = false) {
        var low = domain.0, high = domain.1
        if !(low.isFinite && high.isFinite) { low = 0; high = 1 }
        if low == high { low -= 0.5; high += 0.5 }
        step = LinearScale.niceStep((high - low) / 5)
        if integer { step = max(step, 1) }
        if nice {
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
        }
        self.domain = (low, high)
        self.range = range
    }

    func callAsFunction(_ value: Double) -> Double {
        range.0 + (value - domain.0) / (domain.1 - domain.0) * (range.1 - range.0)
    }

    /// The most ticks an axis gets: a step too small to move a huge value (1e17 + 2 == 1e17)
    /// must not loop for ever.
    static let maximumTicks = 50

    var ticks: [Double] {
        var values: [Double] = []
        let first = (domain.0 / step).rounded(.up)
        for k in 0..<Self.maximumTicks {
            let v = (first + Double(k)) * step
            guard v <= domain.1 + step * 1e-9, v > values.last ?? -.infinity else { break }
            values.append(abs(v) < step * 1e-9 ? 0 : v)
        }
        return values
    }

    /// Each tick's label, with the decimals the step needs.
    var labels: [String] { ticks.map { LinearScale.label($0, step: step) } }

    /// The next coarser nice step (1 → 2 → 5 → 10), for ticks whose labels collide.
    mutating func coarsen() { step = LinearScale.niceStep(step * 1.01) }

    /// The nearest of 1, 2, 5 × 10^k at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, floor(log10(raw)))
        let fraction = raw / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * power
    }

    /// Tick labels with the decimals the step needs, and no more.
    static func label(_ value: Double, step: Double) -> String {
        let decimals = max(0, -Int(floor(log10(step))))
        // Beyond Int's range a whole number is written with an exponent (Int() would trap).
        if decimals == 0 { return abs(value) < 1e15 ? String(Int(value.rounded())) : String(format: "%.3g", value) }
        return String(format: "%.\(min(decimals, 6))f", value)
    }
}
