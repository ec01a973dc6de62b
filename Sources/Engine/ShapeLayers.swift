import Randomness
/// Reinterprets each sample with another shape of the same size (`Flatten`, `Reshape`).
public final class Reshape: Layer {
    public let typeName: String
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameters: [Parameter] { [] }

    public init(inputShape: [Int], outputShape: [Int], typeName: String = "Reshape") throws {
        guard inputShape.reduce(1, *) == outputShape.reduce(1, *) else {
            throw ArchitectureError("cannot reshape \(ShapeText.of(inputShape)) (\(inputShape.reduce(1, *)) values) to \(ShapeText.of(outputShape)) (\(outputShape.reduce(1, *)) values)")
        }
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.typeName = typeName
    }

    public static func flatten(inputShape: [Int]) -> Reshape {
        try! Reshape(inputShape: inputShape, outputShape: [inputShape.reduce(1, *)], typeName: "Flatten")
    }

    public func initialize(using rng: inout RandomGenerator) {}

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        y.update(from: x, count: batch * inputSize)
    }

    public func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                         outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         batch: Int) {
        dx?.update(from: dy, count: batch * inputSize)
    }
}

/// An activation on its own, as Keras's `Activation` / `LeakyReLU` layers.
public final class ActivationLayer: Layer {
    public var typeName: String { if case .leakyReLU = activation { return "LeakyReLU" }; return "Activation" }
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public let activation: Activation
    public var parameters: [Parameter] { [] }

    public init(inputShape: [Int], activation: Activation) {
        self.inputShape = inputShape
        self.activation = activation
    }

    public func initialize(using rng: inout RandomGenerator) {}

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        y.update(from: x, count: batch * inputSize)
        activation.forward(y, count: batch * inputSize)
    }

    public func backward(input: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         batch: Int) {
        activation.backward(output: y, gradient: dy, count: batch * inputSize)
        dx?.update(from: dy, count: batch * inputSize)
    }
}

/// Shapes written as Keras prints them: `(None, 28, 28, 1)`.
enum ShapeText {
    static func of(_ shape: [Int]) -> String { "(None, " + shape.map(String.init).joined(separator: ", ") + ")" }
}
