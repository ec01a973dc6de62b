import Datasets

/// Reads a corruption as a lab writes it: `rotate 90`, `transpose`, `flip`,
/// `noise 0.5` (Gaussian, sigma), `noise uniform 0.2` (each pixel replaced, with that probability,
/// by a grey level drawn uniformly), `blackout 10` (a random square of that side set to 0),
/// `blackout half` (the top or bottom half), `invert 0.1` (each pixel inverted with that probability).
///
/// ```yaml
/// contaminate: { fraction: 0.1, kinds: [transpose, noise 0.5, blackout 12] }
/// ```
public enum TransformSpec {
    static let names = ["rotate", "transpose", "flip", "noise", "invert", "blackout"]

    public static func parse(_ text: String) -> Result<ImageTransform, SpecError> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard let head = words.first else { return .failure(SpecError("a transform cannot be empty")) }
        if head == "noise", words.count > 1, words[1] == "uniform" { return uniformNoise(words.dropFirst(2)) }
        let argument = words.count > 1 ? words[1] : nil
        if words.count > 2 { return .failure(SpecError("unexpected '\(words[2])' after '\(head) \(words[1])'")) }
        func number(_ default_: Double, _ valid: (Double) -> Bool, _ rule: String) -> Result<Double, SpecError> {
            guard let argument else { return .success(default_) }
            guard let value = Double(argument), valid(value) else {
                return .failure(SpecError("'\(head)' takes \(rule), got '\(argument)'"))
            }
            return .success(value)
        }
        switch head {
        case "rotate":
            return number(90, { abs($0) <= 360 }, "an angle in degrees from -360 to 360").map { .rotate(degrees: $0) }
        case "noise":
            return number(0.3, { $0 > 0 && $0.isFinite }, "a standard deviation above 0").map { .noise(sigma: $0) }
        case "invert":
            return number(0.1, { $0 > 0 && $0 <= 1 }, "a probability above 0 and at most 1").map { .invert(probability: $0) }
        case "blackout":
            if argument == "half" { return .success(.blackoutHalf) }
            return number(10, { $0 >= 1 && $0 <= 28 && $0 == $0.rounded() }, "a square side from 1 to 28 pixels, or 'half'").map { .blackout(size: Int($0)) }
        case "transpose", "flip":
            if let argument { return .failure(SpecError("'\(head)' takes no value, got '\(argument)'")) }
            return .success(head == "flip" ? .flip : .transpose)
        default:
            return .failure(SpecError("unknown transform '\(head)'\(Suggestion.hint(for: head, in: names)) (transforms: \(names.joined(separator: ", ")))"))
        }
    }

    /// `noise uniform [MU]`: the background perturbation of Ren et al., MU defaulting to 0.2.
    private static func uniformNoise(_ rest: ArraySlice<String>) -> Result<ImageTransform, SpecError> {
        guard let text = rest.first else { return .success(.uniformNoise(rate: 0.2)) }
        if rest.count > 1 { return .failure(SpecError("unexpected '\(rest[rest.startIndex + 1])' after 'noise uniform \(text)'")) }
        guard let rate = Double(text), rate > 0, rate <= 1 else {
            return .failure(SpecError("'noise uniform' takes a rate above 0 and at most 1, got '\(text)'"))
        }
        return .success(.uniformNoise(rate: rate))
    }
}

