import Randomness

#if canImport(Glibc)
import Glibc
#endif

/// Corruptions applied to one image [height, width, channels] with values in [0, 1].
public enum ImageTransform: Sendable, Equatable, CustomStringConvertible {
    /// Counter-clockwise by `degrees`; multiples of 90 are exact, other angles use bilinear
    /// interpolation about the centre, with black outside the source.
    case rotate(degrees: Double)
    /// Mirror along the main diagonal: pixel (r, c) moves to (c, r).
    case transpose
    /// Mirror left to right.
    case flip
    /// Add N(0, σ²) noise to every value, clipped to [0, 1].
    case noise(sigma: Double)
    /// Set a random `size`×`size` square to 0.
    case blackout(size: Int)
    /// Set the top or the bottom half (one of the two at random) to 0.
    case blackoutHalf
    /// Invert each value (x → 1 − x) independently with `probability`: salt-and-pepper noise
    /// that turns background pixels white and stroke pixels black.
    case invert(probability: Double)
    /// Replace each value, independently with probability `rate` (μ), by one of the 256 grey
    /// levels k/255 drawn uniformly: the perturbation Ren et al. (NeurIPS 2019) train a
    /// background model on, which keeps an image's population-level statistics and destroys
    /// its semantics.
    case uniformNoise(rate: Double)

    public var description: String {
        switch self {
        case .rotate(let d): return "rotate \(d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d))"
        case .transpose: return "transpose"
        case .flip: return "flip"
        case .noise(let s): return "noise \(s)"
        case .blackout(let n): return "blackout \(n)"
        case .blackoutHalf: return "blackout half"
        case .invert(let p): return "invert \(p)"
        case .uniformNoise(let rate): return "noise uniform \(rate)"
        }
    }

    /// The transformed image; `rng` supplies the randomness of noise and blackout.
    public func apply(_ image: ArraySlice<Float>, shape: [Int], rng: inout RandomGenerator) -> [Float] {
        let height = shape[0], width = shape.count > 1 ? shape[1] : 1, channels = shape.count > 2 ? shape[2] : 1
        let src = Array(image)
        func at(_ r: Int, _ c: Int, _ k: Int) -> Float { src[(r * width + c) * channels + k] }
        var out = [Float](repeating: 0, count: src.count)
        switch self {
        case .rotate(let written):
            // A whole number of turns changes nothing; taking it off keeps every integer below small.
            let degrees = written.truncatingRemainder(dividingBy: 360)
            let quarter = (degrees / 90).rounded()
            if abs(degrees / 90 - quarter) < 1e-12, height == width {
                let turns = ((Int(quarter) % 4) + 4) % 4
                for r in 0..<height { for c in 0..<width { for k in 0..<channels {
                    // Counter-clockwise, as numpy's rot90: out[r][c] = in[c][w-1-r] for one turn.
                    let (sr, sc): (Int, Int)
                    switch turns {
                    case 1: (sr, sc) = (c, width - 1 - r)
                    case 2: (sr, sc) = (height - 1 - r, width - 1 - c)
                    case 3: (sr, sc) = (height - 1 - c, r)
                    default: (sr, sc) = (r, c)
                    }
                    out[(r * width + c) * channels + k] = at(sr, sc, k)
                } } }
                return out
            }
            let angle = degrees * Double.pi / 180, cosA = cos(angle), sinA = sin(angle)
            let cy = Double(height - 1) / 2, cx = Double(width - 1) / 2
            for r in 0..<height { for c in 0..<width {
                // Inverse map: where in the source does this output pixel come from?
                let y = Double(r) - cy, x = Double(c) - cx
                let sy = cosA * y - sinA * x + cy, sx = sinA * y + cosA * x + cx
                let y0 = Int(floor(sy)), x0 = Int(floor(sx)), fy = Float(sy - floor(sy)), fx = Float(sx - floor(sx))
                for k in 0..<channels {
                    func px(_ r: Int, _ c: Int) -> Float { r >= 0 && r < height && c >= 0 && c < width ? at(r, c, k) : 0 }
                    let top = px(y0, x0) * (1 - fx) + px(y0, x0 + 1) * fx
                    let bottom = px(y0 + 1, x0) * (1 - fx) + px(y0 + 1, x0 + 1) * fx
                    out[(r * width + c) * channels + k] = top * (1 - fy) + bottom * fy
                }
            } }
        case .transpose:
            guard height == width else { return src }
            for r in 0..<height { for c in 0..<width { for k in 0..<channels { out[(r * width + c) * channels + k] = at(c, r, k) } } }
        case .flip:
            for r in 0..<height { for c in 0..<width { for k in 0..<channels { out[(r * width + c) * channels + k] = at(r, width - 1 - c, k) } } }
        case .noise(let sigma):
            for i in src.indices { out[i] = min(1, max(0, src[i] + Float(rng.normal() * sigma))) }
        case .blackout(let size):
            out = src
            let side = min(size, height, width)
            let top = rng.index(below: height - side + 1), left = rng.index(below: width - side + 1)
            for r in top..<(top + side) { for c in left..<(left + side) { for k in 0..<channels { out[(r * width + c) * channels + k] = 0 } } }
        case .blackoutHalf:
            out = src
            let rows = rng.index(below: 2) == 0 ? 0..<(height / 2) : (height / 2)..<height
            for r in rows { for i in (r * width * channels)..<((r + 1) * width * channels) { out[i] = 0 } }
        case .invert(let probability):
            for i in src.indices { out[i] = rng.uniform() < probability ? 1 - src[i] : src[i] }
        case .uniformNoise(let rate):
            for i in src.indices { out[i] = rng.uniform() < rate ? Float(rng.index(below: 256)) / 255 : src[i] }
        }
        return out
    }
}
