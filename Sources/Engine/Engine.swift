/// The neural-network engine: tensors, layers, autoencoders and VAEs trained on the CPU.
///
/// The engine knows nothing about labs; the `Runner` module translates a lab's `train` step into
/// an `Architecture` and calls `Trainer`.
public enum Engine {
    /// Bumped whenever a change alters what training computes, so cached models are retrained.
    public static let version = "0.1.0"
}
