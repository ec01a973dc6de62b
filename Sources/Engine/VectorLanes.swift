/// How wide a vector the engine's C kernels use (`SmallProductKernels`, `VectorMathKernels`).
/// Both widths compute each value the same way, so this changes the speed and never the bits;
/// tests run both.
///
/// ```swift
/// let lanes: VectorLanes = .widest   // .sixteen where the CPU has AVX-512 F
/// ```
enum VectorLanes: Sendable {
    /// AVX2.
    case eight
    /// AVX-512 F.
    case sixteen

    /// The widest this CPU runs.
    static let widest: VectorLanes = VectorFeatures.detected.avx512f ? .sixteen : .eight

    /// Whether this CPU runs this width (given AVX2, which every kernel needs).
    var runsHere: Bool { self == .eight || Self.widest == .sixteen }
}
