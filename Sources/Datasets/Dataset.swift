/// A labelled set of samples: which stored samples it holds, each with its class, whether it is
/// an anomaly, and what was done to it.
///
/// ```swift
/// let train = try DatasetLoader.load("mnist", split: .train)
/// let sevens = try train.keeping(classes: [7])
/// let test = try DatasetOperations.inject(normal: sevensTest, anomalies: fives)
/// ```
public struct Dataset: Sendable {
    /// One sample: a reference into a store, and what the lab knows about it.
    public struct Sample: Sendable, Equatable {
        public var store: Int
        public var index: Int
        /// The class label from the source data.
        public var label: Int
        public var isAnomaly: Bool
        /// The dataset the sample came from (`mnist`, `fashion-mnist`, a file name).
        public var origin: String
        /// The corruption applied to it, if any (`rotate 90`, `noise 0.5`, ...).
        public var transform: String?
    }

    public var name: String
    public var shape: [Int]
    /// Class names in label order, when the source has them.
    public var classNames: [String]
    public var samples: [Sample]
    var stores: [SampleStore]

    public init(name: String, store: SampleStore, labels: [Int], classNames: [String]) {
        self.name = name
        self.shape = store.shape
        self.classNames = classNames
        self.stores = [store]
        self.samples = labels.enumerated().map { Sample(store: 0, index: $0.offset, label: $0.element, isAnomaly: false, origin: name, transform: nil) }
    }

    public var count: Int { samples.count }
    public var sampleSize: Int { shape.reduce(1, *) }
    public var anomalyCount: Int { samples.reduce(0) { $0 + ($1.isAnomaly ? 1 : 0) } }

    /// The values of sample `i`.
    public func values(of i: Int) -> ArraySlice<Float> {
        let sample = samples[i]
        return stores[sample.store].sample(sample.index)
    }

    /// All samples' values in one contiguous array, [count, sampleSize], for training or scoring.
    public func matrix() -> [Float] {
        var out = [Float]()
        out.reserveCapacity(count * sampleSize)
        for i in samples.indices { out.append(contentsOf: values(of: i)) }
        return out
    }

    /// Only the samples for which `keep` holds, in order.
    public func filtered(_ keep: (Sample) -> Bool) -> Dataset {
        var copy = self
        copy.samples = samples.filter(keep)
        return copy
    }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        var copy = self
        copy.samples = indices.map { samples[$0] }
        return copy
    }

    /// Label of a class given by number or name ("7", "Trouser"), or an error naming the classes.
    public func classLabel(_ reference: String) throws -> Int {
        // A class's own name comes first: in a CSV whose label column holds 1 and 0 (1 first),
        // `1` means the class written 1, not the class at index 1.
        if let label = classNames.firstIndex(of: reference) { return label }
        if let label = Int(reference), classNames.isEmpty || classNames.indices.contains(label) { return label }
        if let label = classNames.firstIndex(where: { $0.lowercased() == reference.lowercased() }) { return label }
        throw DatasetError("\(name) has no class '\(reference)' (classes: \(classNames.isEmpty ? "numeric labels" : classNames.joined(separator: ", ")))")
    }

    /// Samples per class label, in label order.
    public var countsByClass: [(label: Int, count: Int)] {
        Dictionary(grouping: samples, by: \.label).map { ($0.key, $0.value.count) }.sorted { $0.label < $1.label }
    }

    /// Adds a store of new samples (corrupted copies) and returns its number.
    mutating func addStore(_ store: SampleStore) -> Int {
        stores.append(store)
        return stores.count - 1
    }

    /// A dataset with the samples of `self` followed by those of `other` (shapes must match).
    func appending(_ other: Dataset) throws -> Dataset {
        guard other.shape == shape else {
            throw DatasetError("cannot combine \(name) (samples \(shape)) with \(other.name) (samples \(other.shape))")
        }
        var combined = self
        let offset = stores.count
        combined.stores += other.stores
        combined.samples += other.samples.map { var s = $0; s.store += offset; return s }
        return combined
    }
}
