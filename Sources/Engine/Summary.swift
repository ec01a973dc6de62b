/// A model summary as Keras prints it: each layer with its output shape and parameter count.
public struct ModelSummary: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var name: String
        public var type: String
        public var outputShape: String
        public var parameters: Int
    }

    public var name: String
    public var rows: [Row]
    public var totalParameters: Int { rows.reduce(0) { $0 + $1.parameters } }

    /// The Keras 2 text layout students know from notebooks, with columns as wide as their
    /// widest entry (`conv2d_transpose_1 (Conv2DTranspose)` is wider than Keras's 29 characters).
    public var text: String {
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(n - s.count, 0)) }
        let names = rows.map { "\($0.name) (\($0.type))" }
        let first = max(29, (names.map(\.count).max() ?? 0) + 2), second = max(26, (rows.map(\.outputShape.count).max() ?? 0) + 2)
        let width = max(65, first + second + (rows.map { String($0.parameters).count }.max() ?? 0))
        var lines = ["Model: \"\(name)\"", String(repeating: "_", count: width),
                     pad("Layer (type)", first) + pad("Output Shape", second) + "Param #",
                     String(repeating: "=", count: width)]
        for (i, row) in rows.enumerated() {
            lines.append(pad(names[i], first) + pad(row.outputShape, second) + String(row.parameters))
            lines.append(String(repeating: i == rows.count - 1 ? "=" : "_", count: width))
        }
        lines.append("Total params: \(Self.grouped(totalParameters))")
        lines.append("Trainable params: \(Self.grouped(totalParameters))")
        lines.append("Non-trainable params: 0")
        lines.append(String(repeating: "_", count: width))
        return lines.joined(separator: "\n")
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}

extension Model {
    /// Keras's layer naming: `Conv2DTranspose` → `conv2d_transpose`, `LeakyReLU` → `leaky_re_lu`
    /// (an underscore before each capitalised word, then before a capital that follows a
    /// lower-case letter).
    static func snakeCase(_ name: String) -> String {
        let c = Array(name)
        var first: [Character] = []
        for i in c.indices {
            if i > 0, c[i].isUppercase, i + 1 < c.count, c[i + 1].isLowercase { first.append("_") }
            first.append(c[i])
        }
        var out = ""
        for i in first.indices {
            if i > 0, first[i].isUppercase, first[i - 1].isLowercase { out.append("_") }
            out.append(first[i])
        }
        return out.lowercased()
    }

    /// The summary of the whole model, with Keras's automatic layer names (dense, dense_1, ...).
    public func summary(name: String = "model") -> ModelSummary {
        var counters: [String: Int] = [:]
        func keras(_ type: String) -> String {
            let base = Self.snakeCase(type)
            let n = counters[base, default: 0]
            counters[base] = n + 1
            return n == 0 ? base : "\(base)_\(n)"
        }
        func row(_ layer: Layer, name: String? = nil) -> ModelSummary.Row {
            .init(name: name ?? keras(layer.typeName), type: layer.typeName,
                  outputShape: ShapeText.of(layer.outputShape), parameters: layer.parameterCount)
        }
        var rows = [ModelSummary.Row(name: "input_layer", type: "InputLayer", outputShape: ShapeText.of(architecture.inputShape), parameters: 0)]
        rows += encoder.layers.map { row($0) }
        if let meanHead, let logVarHead {
            rows.append(row(meanHead, name: "z_mean"))
            rows.append(row(logVarHead, name: "z_log_var"))
        }
        rows += decoder.layers.map { row($0) }
        return ModelSummary(name: name, rows: rows)
    }
}
