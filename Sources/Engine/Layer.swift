import Randomness
/// A trainable array of a layer: its values and the gradient accumulated by `backward`.
public final class Parameter: @unchecked Sendable {
    public let name: String
    public let shape: [Int]
    public let value: FloatBuffer
    public let gradient: FloatBuffer

    init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
        let count = shape.reduce(1, *)
        value = FloatBuffer(count: count)
        gradient = FloatBuffer(count: count)
    }

    public var count: Int { value.count }
}

/// One layer. Shapes are per sample, channels last (Keras's `channels_last`): a 28×28 grey image
/// is `[28, 28, 1]`, a dense layer's output `[units]`. Batches are stored sample after sample.
///
/// `forward` reads `batch` inputs and writes the outputs; `backward` receives dL/d(output),
/// adds dL/d(parameters) to the parameters' gradients, and writes dL/d(input) when asked.
/// A layer may overwrite `outputGradient` (activations fold their derivative into it).
public protocol Layer: AnyObject {
    /// Keras's class name, for summaries: `Dense`, `Conv2D`, `Conv2DTranspose`, ...
    var typeName: String { get }
    var inputShape: [Int] { get }
    var outputShape: [Int] { get }
    var parameters: [Parameter] { get }

    func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, batch: Int)
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGradient: UnsafeMutablePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?,
                  batch: Int)
    /// Draws the initial parameters (Keras's defaults: Glorot uniform kernels, zero biases).
    func initialize(using rng: inout RandomGenerator)
    /// Frees the per-batch scratch space the layer keeps between calls; it grows back on the
    /// next call. Parameters are kept.
    func releaseScratch()
}

extension Layer {
    public func releaseScratch() {}
    public var inputSize: Int { inputShape.reduce(1, *) }
    public var outputSize: Int { outputShape.reduce(1, *) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}

/// Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)).
func glorotUniform(_ parameter: Parameter, fanIn: Int, fanOut: Int, rng: inout RandomGenerator) {
    let limit = (6 / Float(fanIn + fanOut)).squareRoot()
    for i in 0..<parameter.count { parameter.value[i] = rng.uniform(-limit, limit) }
}

/// Why a layer or model cannot be built as described.
public struct ArchitectureError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
