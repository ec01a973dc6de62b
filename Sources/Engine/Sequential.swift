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
        let reshapes = layers.map { $0 is Reshape }
        var gradientSlots = Array(layers.indices)
        for i in layers.indices.reversed() where i + 1 < layers.count && reshapes[i + 1] { gradientSlots[i] = gradientSlots[i + 1] }
        var producers = [Int?](repeating: nil, count: layers.count)
        for i in layers.indices.dropFirst() { producers[i] = reshapes[i - 1] ? producers[i - 1] : i - 1 }
        self.reshapes = reshapes
        self.gradientSlots = gradientSlots
        self.producers = producers
    }

    /// Which layers only reshape (`Flatten`, `Reshape`). A sample's values keep their order
    /// through them, so they are never run: the next layer reads their input as their output,
    /// and the gradient of their output is the gradient of their input. (Copying a batch
    /// through them cost as much as a small layer.)
    private let reshapes: [Bool]
    /// For each layer, the layer whose gradient buffer holds dL/d(its output): its own, or that
    /// of the last of the reshapes right after it.
    private let gradientSlots: [Int]

    /// For each layer, the last layer before it that is run (not a reshape): the one whose output
    /// it reads. Nil when only reshapes come before it: it reads the stack's input.
    private let producers: [Int?]

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
        for (i, layer) in layers.enumerated() where !reshapes[i] {
            let y = outputs[i].pointer(batch: batch)
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
        for i in stride(from: layers.count - 1, through: last, by: -1) where !reshapes[i] {
            let before = producers[i]
            let input = before.map { UnsafePointer(outputs[$0].pointer(batch: batch)) } ?? x
            // dL/d(input): for the layer before (through any reshapes between), unless back-propagation
            // ends here.
            let dx: UnsafeMutablePointer<Float>?
            if let before { dx = before >= last ? gradients[gradientSlots[before]].pointer(batch: batch) : nil } else { dx = inputGradient }
            layers[i].backward(input: input, output: outputs[i].pointer(batch: batch),
                               outputGradient: gradients[gradientSlots[i]].pointer(batch: batch), inputGradient: dx, batch: batch)
        }
        // Nothing but reshapes: the input's gradient is the output's.
        if let inputGradient, !layers.isEmpty, !reshapes.contains(false) {
            inputGradient.update(from: gradients[layers.count - 1].pointer(batch: batch), count: batch * outputSize)
        }
    }
}
