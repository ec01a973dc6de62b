/// A dataset that swift-lab knows by name, with the class names a lab may use.
///
/// ```swift
/// let fashion = DatasetCatalog.entry(named: "fashion-mnist")!
/// fashion.classIndex(of: "Trouser")   // 1
/// fashion.classIndex(of: "7")         // 7
/// ```
public struct RegisteredDataset: Sendable, Equatable {
    /// The name a lab's `load` step uses, e.g. `mnist`.
    public let name: String
    /// One line saying what the data is.
    public let summary: String
    /// Class names in label order; a class is referred to by its index or its name.
    public let classNames: [String]
    /// The shape of one sample, [height, width, channels] for images.
    public let sampleShape: [Int]

    public init(name: String, summary: String, classNames: [String], sampleShape: [Int]) {
        self.name = name
        self.summary = summary
        self.classNames = classNames
        self.sampleShape = sampleShape
    }

    /// The label of a class given by index ("5") or by name ("Trouser", case-insensitive).
    public func classIndex(of reference: String) -> Int? {
        if let index = Int(reference) {
            return classNames.indices.contains(index) ? index : nil
        }
        let folded = reference.lowercased()
        return classNames.firstIndex { $0.lowercased() == folded }
    }
}

/// The datasets swift-lab knows by name.
public enum DatasetCatalog {
    public static let mnist = RegisteredDataset(
        name: "mnist",
        summary: "handwritten digits 0-9, 28x28 grey, 60,000 train + 10,000 test",
        classNames: (0...9).map(String.init), sampleShape: [28, 28, 1])

    public static let fashionMNIST = RegisteredDataset(
        name: "fashion-mnist",
        summary: "Zalando clothing images, 10 classes, 28x28 grey, 60,000 train + 10,000 test",
        classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                     "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        sampleShape: [28, 28, 1])

    /// Every registered dataset, in the order the documentation lists them.
    public static let all: [RegisteredDataset] = [mnist, fashionMNIST]

    /// The registered dataset with this name, if any.
    public static func entry(named name: String) -> RegisteredDataset? {
        all.first { $0.name == name }
    }
}
