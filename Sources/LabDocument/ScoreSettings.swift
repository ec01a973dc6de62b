/// The settings a `score` step writes, read with the defaults the schema declares, so that a
/// score method's declaration reads its keys the way `check` and the reference describe them.
///
/// ```swift
/// let lab = LabParser.parse(text: "```swift-lab score\nmethod: elbo\nsamples: 50\n```\n", path: "x.md").lab!
/// ScoreSettings(step: lab.steps[0]).int("samples")                    // 50
/// ScoreSettings(step: lab.steps[0], caps: ["samples": 5]).int("samples")  // 5, as --quick draws
/// ScoreSettings(step: lab.steps[0]).choice("error")                   // "mse", the declared default
/// ```
public struct ScoreSettings {
    public let step: Step
    /// Upper bounds on integer keys (`--quick` keeps draws of z and trees few).
    public let caps: [String: Int]

    public init(step: Step, caps: [String: Int] = [:]) {
        self.step = step
        self.caps = caps
    }

    public func int(_ key: String) -> Int {
        let value = step[key]?.integer ?? declared(key, as: Int.init)
        return caps[key].map { min(value, $0) } ?? value
    }
    public func number(_ key: String) -> Double { step[key]?.number ?? declared(key, as: Double.init) }
    public func optionalNumber(_ key: String) -> Double? { step[key]?.number }
    public func choice(_ key: String) -> String { step[key]?.scalarText ?? declared(key, as: { $0 }) }
    public func optionalString(_ key: String) -> String? { step[key]?.scalarText }

    private func declared<T>(_ key: String, as parse: (String) -> T?) -> T {
        guard let text = LabSchema.declaredDefault(of: key, in: .score), let value = parse(text) else {
            preconditionFailure("LabSchema declares no default for the score key '\(key)' that reads as \(T.self)")
        }
        return value
    }
}
