/// Colours that colour-blind readers can tell apart: Okabe and Ito's eight, then two of Paul
/// Tol's, for up to ten classes. Normal and anomalous have fixed colours (green and red, as the
/// labs' seeds use them), anomalies in latent plots are black.
public enum Palette {
    public static let categorical = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999", "#882255", "#44AA99"]
    public static let normal = "#009E73"
    public static let anomalous = "#D55E00"
    public static let anomalyMarker = "#000000"

    public static func color(_ index: Int) -> String { categorical[((index % categorical.count) + categorical.count) % categorical.count] }

    /// A sequential ramp (dark blue to yellow, as viridis) for colouring by a score in [0, 1].
    public static func ramp(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2), f = x - Double(i)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * f).rounded()) }
        let (r, g, b) = (mix(stops[i].0, stops[i + 1].0), mix(stops[i].1, stops[i + 1].1), mix(stops[i].2, stops[i + 1].2))
        return "#" + [r, g, b].map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined().uppercased()
    }
}
