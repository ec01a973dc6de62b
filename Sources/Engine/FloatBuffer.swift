/// A fixed-size block of Float32 allocated once and reused: parameters, gradients, activations
/// and scratch space all live in these, so the training loop allocates nothing per batch.
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    public init(count: Int, value: Float = 0) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    public func copy(from other: FloatBuffer) {
        precondition(other.count == count)
        pointer.update(from: other.pointer, count: count)
    }
}

/// A buffer that grows to the largest batch seen and is then reused. A "sample" is whatever
/// unit the owner counts in: an image, a block of samples, or one worker's scratch.
final class BatchBuffer {
    private(set) var buffer = FloatBuffer(count: 0)
    let perSample: Int

    init(perSample: Int) { self.perSample = perSample }

    /// Storage for `batch` samples; reallocates only when a larger batch arrives.
    func pointer(batch: Int) -> UnsafeMutablePointer<Float> {
        if buffer.count < batch * perSample { buffer = FloatBuffer(count: batch * perSample) }
        return buffer.pointer
    }

    /// Frees the storage; the next `pointer(batch:)` allocates again.
    func release() { buffer = FloatBuffer(count: 0) }
}

/// Per-sample Double accumulators that grow to the largest batch seen.
final class BatchDoubles {
    private var storage = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private var capacity = 1

    func pointer(batch: Int) -> UnsafeMutablePointer<Double> {
        if batch > capacity {
            storage.deallocate()
            storage = .allocate(capacity: batch)
            capacity = batch
        }
        return storage
    }

    /// Shrinks the storage to one value; the next `pointer(batch:)` grows it again.
    func release() {
        storage.deallocate()
        storage = .allocate(capacity: 1)
        capacity = 1
    }

    deinit { storage.deallocate() }
}
