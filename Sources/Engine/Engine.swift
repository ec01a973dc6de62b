/// The neural-network engine: tensors, layers, autoencoders and VAEs trained on the CPU.
///
/// The engine knows nothing about labs; the `Runner` module translates a lab's `train` step into
/// an `Architecture` and calls `Trainer`.
public enum Engine {
    /// Bumped whenever a change alters what training computes, so cached models are retrained.
    public static let version = "0.7.0"
}

extension Engine {
    /// The thread count of the engine's loops and matrix products (OpenBLAS itself runs on one
    /// thread: see `BLAS`). Results do not depend on it: only independent work is split.
    ///
    /// ```swift
    /// Engine.threads = 1
    /// ```
    public static var threads: Int {
        get { Parallel.threads }
        set { Parallel.threads = max(1, newValue) }
    }

    /// Applies `SWIFT_LAB_THREADS` when it holds a positive integer; returns a complaint when it
    /// holds anything else.
    @discardableResult
    public static func applyThreadsSetting(_ environment: [String: String]) -> String? {
        guard let text = environment["SWIFT_LAB_THREADS"] else { return nil }
        guard let count = Int(text), (1...1024).contains(count) else {
            return "SWIFT_LAB_THREADS must be a whole number from 1 to 1024, not '\(text)'"
        }
        threads = count
        return nil
    }
}
