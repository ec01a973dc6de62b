import Foundation

/// Numeric CSV files: a header row, then one sample per row; one column is the class label.
public enum CSVReader {
    public enum Scaling: String, Sendable { case none, minmax, zscore }

    /// The largest CSV file read (256 MiB, after decompression when it is gzip). Parsing takes
    /// several times a file's size in memory; data this large belongs in a binary format.
    public static let maximumBytes = 1 << 28

    /// The number of feature columns of `path`, from its header line alone, so a lab can be
    /// checked without reading its data; the same header rules and errors as `load`.
    public static func featureCount(_ path: String, labelColumn: String = "label") throws -> Int {
        let stream = try DataStream(path: path)
        var bytes: [UInt8] = []
        while !bytes.contains(0x0A), bytes.count < maximumBytes, try stream.read(1 << 16, appendingTo: &bytes) > 0 {}
        let headerBytes = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        guard !headerBytes.isEmpty else { throw DatasetError("\(path): the file is empty") }
        return try columns(of: String(decoding: headerBytes, as: UTF8.self), path: path, labelColumn: labelColumn).names.count - 1
    }

    /// The header's column names, which must include `labelColumn` and at least one other. A
    /// byte-order mark before the first name is not part of it.
    private static func columns(of line: String, path: String, labelColumn: String) throws -> (names: [String], label: Int) {
        let text = line.hasPrefix("\u{FEFF}") ? String(line.dropFirst()) : line
        let header = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let label = header.firstIndex(of: labelColumn) else {
            let shown = header.prefix(12).joined(separator: ", ") + (header.count > 12 ? ", and \(header.count - 12) more" : "")
            throw DatasetError("\(path): no column '\(labelColumn)' in the header (columns: \(shown))")
        }
        guard header.count > 1 else { throw DatasetError("\(path): no feature columns besides '\(labelColumn)'") }
        return (header, label)
    }

    /// Loads `path`; every cell except the label's must be a number. Errors give row and column.
    public static func load(_ path: String, labelColumn: String = "label", scaling: Scaling = .none) throws -> Dataset {
        let data = try DataStream.readAll(path, maximum: maximumBytes)
        guard let text = String(validating: data, as: UTF8.self) else { throw DatasetError("\(path): not UTF-8 text") }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else { throw DatasetError("\(path): the file is empty") }
        let (header, labelIndex) = try columns(of: String(headerLine), path: path, labelColumn: labelColumn)
        let features = header.count - 1
        var values: [Float] = []
        var labels: [Int] = []
        var labelNames: [String] = []
        for (offset, line) in lines.dropFirst().enumerated() {
            let row = offset + 2
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == header.count else {
                throw DatasetError("\(path):\(row): \(cells.count) cells, but the header has \(header.count) columns")
            }
            for (column, cell) in cells.enumerated() {
                if column == labelIndex {
                    if let index = labelNames.firstIndex(of: cell) { labels.append(index) } else { labels.append(labelNames.count); labelNames.append(cell) }
                    continue
                }
                guard let value = Float(cell), value.isFinite else {
                    throw DatasetError("\(path):\(row): column \(column + 1) ('\(header[column])') is not a number: '\(cell)'")
                }
                values.append(value)
            }
        }
        guard !labels.isEmpty else { throw DatasetError("\(path): no data rows after the header") }
        scale(&values, features: features, scaling)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return Dataset(name: name, store: SampleStore(shape: [features], values: values), labels: labels, classNames: labelNames)
    }

    /// Per-column scaling, in place: min-max to [0, 1], or z-score (constant columns become 0).
    static func scale(_ values: inout [Float], features: Int, _ scaling: Scaling) {
        guard scaling != .none else { return }
        let rows = values.count / features
        for feature in 0..<features {
            let column = (0..<rows).map { Double(values[$0 * features + feature]) }
            let low = column.min() ?? 0, high = column.max() ?? 0
            let mean = column.reduce(0, +) / Double(max(rows, 1))
            let std = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(rows, 1))).squareRoot()
            for (row, x) in column.enumerated() {
                let scaled: Double
                switch scaling {
                case .minmax: scaled = high > low ? (x - low) / (high - low) : 0
                case .zscore: scaled = std > 0 ? (x - mean) / std : 0
                case .none: scaled = x
                }
                values[row * features + feature] = Float(scaled)
            }
        }
    }
}
