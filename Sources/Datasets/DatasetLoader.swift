import Foundation

/// Which part of a registered dataset to load.
public enum DataSplit: String, Sendable, CaseIterable {
    case train, test, all
}

/// Loads registered datasets (IDX files) and numeric CSV files.
///
/// ```swift
/// let mnist = try DatasetLoader.load("mnist", split: .test)   // 10,000 [28, 28, 1] images
/// ```
public enum DatasetLoader {
    /// The IDX file names of a registered split.
    public static func files(for split: DataSplit) -> [(images: String, labels: String)] {
        switch split {
        case .train: return [("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")]
        case .test: return [("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")]
        case .all: return files(for: .train) + files(for: .test)
        }
    }

    /// The files a registered dataset's split is read from, as found on the search path.
    public static func paths(_ name: String, split: DataSplit, path explicit: String? = nil, searchPath: DataSearchPath = .standard()) throws -> [String] {
        let names = files(for: split).flatMap { [$0.images, $0.labels] }
        let directory = try searchPath.locate(name, files: names, explicit: explicit)
        return names.map { "\(directory)/\($0)" }
    }

    /// Loads a registered dataset (`mnist`, `fashion-mnist`) through the search path.
    public static func load(_ name: String, split: DataSplit, path explicit: String? = nil,
                            searchPath: DataSearchPath = .standard()) throws -> Dataset {
        guard let entry = DatasetCatalog.entry(named: name) else {
            throw DatasetError("'\(name)' is not a registered dataset (registered: \(DatasetCatalog.all.map(\.name).joined(separator: ", ")))")
        }
        let parts = files(for: split)
        let directory = try searchPath.locate(name, files: parts.flatMap { [$0.images, $0.labels] }, explicit: explicit)
        var result: Dataset?
        for part in parts {
            let piece = try loadIDX(images: "\(directory)/\(part.images)", labels: "\(directory)/\(part.labels)", name: entry.name, classNames: entry.classNames)
            result = try result.map { try $0.appending(piece) } ?? piece
        }
        return result!
    }

    /// Loads an images file and its labels file, checking that they belong together.
    public static func loadIDX(images: String, labels: String, name: String, classNames: [String] = []) throws -> Dataset {
        let store = try IDXReader.images(at: images)
        let labelValues = try IDXReader.labels(at: labels)
        guard labelValues.count == store.count else {
            throw DatasetError("\(labels): \(labelValues.count) labels for the \(store.count) images of \(images)")
        }
        if !classNames.isEmpty, let bad = labelValues.first(where: { $0 >= classNames.count }) {
            throw DatasetError("\(labels): label \(bad) is outside the \(classNames.count) classes of \(name)")
        }
        return Dataset(name: name, store: store, labels: labelValues, classNames: classNames)
    }
}
