import Charts
import Datasets
import Foundation
import LabDocument
import Randomness
import Report

/// `load` and `split`: building the datasets of an anomaly-detection experiment.
extension LabRun {
    /// A data path as the lab writes it, relative to the lab file, so that a lab shipped with
    /// its CSV runs from any directory.
    func labRelative(_ path: String) -> String { Self.labRelative(path, lab: lab.path) }

    static func labRelative(_ path: String, lab: String) -> String {
        let directory = (lab as NSString).deletingLastPathComponent
        guard !path.hasPrefix("/"), !directory.isEmpty else { return path }
        return (directory as NSString).appendingPathComponent(path)
    }

    func load(_ r: StepReader) throws -> [ReportDocument.Output] {
        let written = try r.string("dataset")
        let source = DatasetCatalog.entry(named: written) != nil ? written : labRelative(written)
        let explicitPath = r.optionalString("path").map(labRelative)
        var data: Dataset
        do {
            if DatasetCatalog.entry(named: source) != nil {
                let split = DataSplit(rawValue: r.choice("split")) ?? .train
                let key = "\(source)|\(split.rawValue)|\(explicitPath ?? "")"
                if let cached = memo.loaded[key] {
                    data = cached
                } else {
                    data = try DatasetLoader.load(source, split: split, path: explicitPath)
                    memo.loaded[key] = data
                }
                try DatasetLoader.paths(source, split: split, path: explicitPath).forEach(recordChecksum)
            } else if source.hasSuffix(".csv") {
                data = try CSVReader.load(source, labelColumn: r.choice("label"),
                                          scaling: CSVReader.Scaling(rawValue: r.choice("scale")) ?? .none)
                recordChecksum(of: source)
            } else {
                throw DatasetError("'\(written)' is neither a registered dataset (\(DatasetCatalog.all.map(\.name).joined(separator: ", "))) nor a .csv file")
            }
            let classes = r.strings("classes"), excluded = r.strings("exclude")
            if !classes.isEmpty { data = try DatasetOperations.keeping(data, classes: classes) }
            if !excluded.isEmpty { data = try DatasetOperations.excluding(data, classes: excluded) }
            var limit = r.optionalInt("limit")
            if options.quick, data.count > min(limit ?? Int.max, RunOptions.quickSamples) && (limit ?? Int.max) > RunOptions.quickSamples {
                quickShrunkLoads.append("\(data.count) samples to \(RunOptions.quickSamples) (line \(r.step.location.line))")
            }
            if options.quick { limit = min(limit ?? Int.max, RunOptions.quickSamples) }
            if let limit { data = DatasetOperations.limited(data, to: limit, rng: &rng) }
        } catch let error as DatasetError {
            throw r.fail(error.description, key: "dataset")
        }
        let name = try r.string("as")
        data.name = name
        workspace.datasets[name] = data
        return describe(data)
    }

    /// Notes the SHA-256 of a data file the step read: for the run section, and for the
    /// fingerprint of what the step defines.
    private func recordChecksum(of file: String) {
        if memo.fileChecksums[file] == nil {
            memo.fileChecksums[file] = SHA256.hex(ofFileAt: file) ?? "unreadable"
        }
        stepDataChecksums.append(memo.fileChecksums[file]!)
    }

    func split(_ r: StepReader) throws -> [ReportDocument.Output] {
        do {
            if let anomalies = r.value("anomalies") {
                let normal = try workspace.dataset(try r.string("normal"), line: r.line)
                guard let fromName = anomalies["from"]?.string else { throw r.fail("'anomalies' needs 'from'") }
                var source = try workspace.dataset(fromName, line: r.line)
                let classes = (anomalies["classes"]?.list ?? []).compactMap(\.scalarText)
                if !classes.isEmpty { source = try DatasetOperations.keeping(source, classes: classes) }
                if let limit = anomalies["limit"]?.integer { source = DatasetOperations.limited(source, to: limit, rng: &rng) }
                let transform = try anomalies["transform"]?.string.map { try parseTransform($0, r) }
                return try store(try DatasetOperations.injecting(normal: normal, anomalies: source, transform: transform, rng: &rng), r)
            }
            let data = try workspace.dataset(try r.string("data"), line: r.line)
            if r.value("holdout") != nil {
                return try store(try DatasetOperations.holdingOut(data, classes: r.strings("holdout")), r)
            }
            if let contamination = r.value("contaminate") {
                let fraction = contamination["fraction"]?.number ?? 0
                let kinds = try (contamination["kinds"]?.list ?? []).compactMap(\.string).map { try parseTransform($0, r) }
                return try store(try DatasetOperations.contaminating(data, fraction: fraction, kinds: kinds, rng: &rng), r)
            }
            if let parts = r.value("parts")?.mapping {
                let pieces = try DatasetOperations.splitting(data, fractions: parts.map { ($0.key, $0.value.number ?? 0) },
                                                             stratify: r.bool("stratify"), rng: &rng)
                var outputs: [ReportDocument.Output] = []
                for (name, piece) in pieces {
                    workspace.datasets[name] = piece
                    outputs.append(.text("\(name): \(piece.count) samples, \(piece.anomalyCount) anomalies"))
                }
                return outputs
            }
            throw r.fail("a split step needs one of anomalies, holdout, contaminate or parts")
        } catch let error as DatasetError {
            throw r.fail(error.description)
        }
    }

    private func parseTransform(_ text: String, _ r: StepReader) throws -> ImageTransform {
        switch TransformSpec.parse(text) {
        case .success(let transform): return transform
        case .failure(let error): throw r.fail("transform '\(text)': \(error)")
        }
    }

    private func store(_ data: Dataset, _ r: StepReader) throws -> [ReportDocument.Output] {
        var data = data
        let name = try r.string("as")
        data.name = name
        workspace.datasets[name] = data
        var outputs = describe(data)
        let corrupted = Dictionary(grouping: data.samples.indices.filter { data.samples[$0].transform != nil }, by: { data.samples[$0].transform! })
        if !corrupted.isEmpty {
            let rows = corrupted.keys.sorted().map { kind in
                corrupted[kind]!.prefix(8).map { GridImage(pixels: Array(data.values(of: $0)), caption: nil) }
            }
            outputs.append(.chart(svg: Chart.imageGrid(title: "Examples of each corruption", rows: rows, imageWidth: data.shape[1], imageHeight: data.shape[0],
                                                       rowLabels: corrupted.keys.sorted()), caption: nil))
        }
        return outputs
    }

    /// Sizes per class and the share of anomalies.
    func describe(_ data: Dataset) -> [ReportDocument.Output] {
        struct Group: Hashable, Comparable {
            var origin: String, label: Int
            static func < (a: Group, b: Group) -> Bool { (a.origin, a.label) < (b.origin, b.label) }
        }
        let byClass = Dictionary(grouping: data.samples) { Group(origin: $0.origin, label: $0.label) }
        let rows = byClass.keys.sorted().map { group -> [String] in
            let samples = byClass[group]!
            let className = group.label < data.classNames.count ? data.classNames[group.label] : String(group.label)
            return [group.origin, className, String(samples.count), String(samples.filter(\.isAnomaly).count)]
        }
        let share = data.count > 0 ? Double(data.anomalyCount) / Double(data.count) : 0
        var outputs: [ReportDocument.Output] = [
            .text("\(data.count) samples of shape \(data.shape.map(String.init).joined(separator: "×")); \(data.anomalyCount) anomalies (\(String(format: "%.1f", share * 100)) %)"),
            .table(header: ["source", "class", "samples", "anomalies"], rows: rows),
        ]
        // Grey images get a grid of the first samples of each class; tables of numbers do not.
        if data.shape.count == 3, data.shape[2] == 1, !byClass.isEmpty {
            let groups = byClass.keys.sorted().prefix(Self.exampleClasses)
            let indices = Dictionary(grouping: data.samples.indices) { Group(origin: data.samples[$0].origin, label: data.samples[$0].label) }
            let gridRows = groups.map { group in indices[group]!.prefix(Self.examplesPerClass).map { GridImage(pixels: Array(data.values(of: $0))) } }
            let labels = groups.map { group in
                (group.label < data.classNames.count ? data.classNames[group.label] : String(group.label)) + (Set(byClass.keys.map(\.origin)).count > 1 ? " (\(group.origin))" : "")
            }
            outputs.append(.chart(svg: Chart.imageGrid(title: "The first samples of each class" + (byClass.count > groups.count ? " (the first \(groups.count) classes)" : ""),
                                                       rows: gridRows, imageWidth: data.shape[1], imageHeight: data.shape[0], rowLabels: labels), caption: nil))
        }
        return outputs
    }

    static let exampleClasses = 12
    static let examplesPerClass = 8
}
