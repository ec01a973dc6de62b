/// A stack of layers run one after the other, owning the activations and gradients between them.
///
/// Buffers grow to the largest batch seen and are then reused, so a training loop allocates
/// nothing per batch.
final class Sequential {
    let layers: [Layer]
    private let outputs: [BatchBuffer]
    private let gradients: [BatchBuffer]
    let inputShape: [Int]
    /// The first layer with parameters. Without an input gradient to deliver, back-propagation
    /// ends there, and that layer skips its own input-gradient product.
    let firstTrainable: Int

    init(_ configs: [LayerConfig], inputShape: [Int]) throws {
        var layers: [Layer] = []
        var shape = inputShape
        for (index, config) in configs.enumerated() {
            do {
                let layer = try config.makeLayer(inputShape: shape)
                layers.append(layer)
                shape = layer.outputShape
            } catch let error as ArchitectureError {
                throw ArchitectureError("layer \(index + 1): \(error.description)")
            }
        }
        self.layers = layers
        self.inputShape = inputShape
        firstTrainable = layers.firstIndex { !$0.parameters.isEmpty } ?? layers.count
        outputs = layers.map { BatchBuffer(perSample: $0.outputSize) }
        gradients = layers.map { BatchBuffer(perSample: $0.outputSize) }
    }

    /// Frees the activations, gradients and layers' scratch space held between batches.
    func releaseScratch() {
        for buffer in outputs + gradients { buffer.release() }
        for layer in layers { layer.releaseScratch() }
    }

    var outputShape: [Int] { layers.last?.outputShape ?? inputShape }
    var outputSize: Int { outputShape.reduce(1, *) }
    var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Runs every layer; returns the last layer's output [batch, outputSize] (or the input itself
    /// for an empty stack).
    @discardableResult
    func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        var input = x
        for (layer, output) in zip(layers, outputs) {
            let y = output.pointer(batch: batch)
            layer.forward(input, y, batch: batch)
            input = UnsafePointer(y)
        }
        return input
    }

    /// Where the caller writes dL/d(output) before calling `backward`.
    func outputGradient(batch: Int) -> UnsafeMutablePointer<Float> {
        gradients[layers.count - 1].pointer(batch: batch)
    }

    /// Back-propagates the gradient written to `outputGradient`; accumulates parameter gradients
    /// and writes dL/d(input) to `inputGradient` if given.
    func backward(_ x: UnsafePointer<Float>, batch: Int, inputGradient: UnsafeMutablePointer<Float>?) {
        let last = inputGradient == nil ? firstTrainable : 0
        for i in stride(from: layers.count - 1, through: last, by: -1) {
            let input = i == 0 ? x : UnsafePointer(outputs[i - 1].pointer(batch: batch))
            let dx = i == last ? inputGradient : gradients[i - 1].pointer(batch: batch)
            layers[i].backward(input: input, output: outputs[i].pointer(batch: batch),
                               outputGradient: gradients[i].pointer(batch: batch), inputGradient: dx, batch: batch)
        }
    }
}
