/// One layer of an encoder or decoder as an instructor writes it in a `train` step:
///
/// ```yaml
/// encoder: [conv 32 3x3 stride 2 same relu, conv 64 3x3 stride 2 same relu, flatten, dense 16 relu]
/// decoder: [dense 3136 relu, reshape 7x7x64, deconv 32 3x3 stride 2 same relu, deconv 1 3x3 same sigmoid]
/// ```
///
/// Words: `dense UNITS [ACTIVATION]`, `conv FILTERS KxK [stride S] [same|valid] [ACTIVATION]`,
/// `deconv ...` (transposed convolution, same options), `flatten`, `reshape HxWxC`, or an
/// activation on its own (`relu`, `leaky-relu [ALPHA]`, `sigmoid`, `tanh`, `linear`).
public enum LayerSpec: Sendable, Equatable, CustomStringConvertible {
    case dense(units: Int, activation: Activation)
    case conv(filters: Int, kernel: Size, stride: Size, padding: Padding, activation: Activation)
    case deconv(filters: Int, kernel: Size, stride: Size, padding: Padding, activation: Activation)
    case flatten
    case reshape([Int])
    case activation(Activation)

    public struct Size: Sendable, Equatable, CustomStringConvertible {
        public var height: Int
        public var width: Int
        public var description: String { height == width ? "\(height)" : "\(height)x\(width)" }
    }

    public enum Padding: String, Sendable, Equatable, CaseIterable { case same, valid }

    public enum Activation: Sendable, Equatable, CustomStringConvertible {
        case linear, relu, sigmoid, tanh
        case leakyReLU(alpha: Double)

        static let names = ["linear", "relu", "sigmoid", "tanh", "leaky-relu"]

        public var description: String {
            switch self {
            case .linear: return "linear"
            case .relu: return "relu"
            case .sigmoid: return "sigmoid"
            case .tanh: return "tanh"
            case .leakyReLU(let alpha): return "leaky-relu \(alpha)"
            }
        }
    }

    static let layerWords = ["dense", "conv", "deconv", "flatten", "reshape"]

    /// The largest sizes a layer may be written with. They are far above any model that trains
    /// on a CPU (the model budget refuses much smaller ones), and low enough that no product of
    /// them overflows before the budget is checked.
    public enum Limits {
        public static let units = 1 << 24
        public static let filters = 1 << 16
        public static let kernelOrStride = 1 << 10
        public static let reshapeSide = 1 << 24
    }

    public var description: String {
        switch self {
        case .dense(let units, let activation): return "dense \(units) \(activation)"
        case .conv(let f, let k, let s, let p, let a): return "conv \(f) \(k.height)x\(k.width) stride \(s) \(p.rawValue) \(a)"
        case .deconv(let f, let k, let s, let p, let a): return "deconv \(f) \(k.height)x\(k.width) stride \(s) \(p.rawValue) \(a)"
        case .flatten: return "flatten"
        case .reshape(let dims): return "reshape " + dims.map(String.init).joined(separator: "x")
        case .activation(let a): return "\(a)"
        }
    }

    /// Parses one layer, or explains in one sentence what is wrong with it.
    public static func parse(_ text: String) -> Result<LayerSpec, SpecError> {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)[...]
        guard let head = words.popFirst()?.lowercased() else { return .failure(SpecError("a layer cannot be empty")) }
        do {
            switch head {
            case "dense":
                let units = try positive(words.popFirst(), what: "the number of units", after: "dense", limit: Limits.units)
                let activation = try activationRest(&words, default: .linear)
                return .success(.dense(units: units, activation: activation))
            case "conv", "deconv":
                let filters = try positive(words.popFirst(), what: "the number of filters", after: head, limit: Limits.filters)
                guard let kernelWord = words.popFirst() else { throw SpecError("'\(head)' needs a kernel size such as 3x3") }
                let kernel = try size(kernelWord, what: "kernel size")
                var stride = Size(height: 1, width: 1)
                var padding = Padding.valid
                var activation = Activation.linear
                while let word = words.popFirst() {
                    if word == "stride" {
                        guard let s = words.popFirst() else { throw SpecError("'stride' needs a value such as 2") }
                        stride = try size(s, what: "stride")
                    } else if let p = Padding(rawValue: word.lowercased()) {
                        padding = p
                    } else {
                        words.insert(word, at: words.startIndex)
                        activation = try activationRest(&words, default: .linear)
                    }
                }
                return .success(head == "conv"
                    ? .conv(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: activation)
                    : .deconv(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: activation))
            case "flatten":
                try noMore(words, after: "flatten")
                return .success(.flatten)
            case "reshape":
                guard let shape = words.popFirst() else { throw SpecError("'reshape' needs a shape such as 7x7x64") }
                let dims = shape.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                guard !dims.isEmpty, dims.allSatisfy({ $0 > 0 }) else { throw SpecError("'\(shape)' is not a shape; write it like 7x7x64") }
                guard dims.count <= 3, dims.allSatisfy({ $0 <= Limits.reshapeSide }) else {
                    throw SpecError("'\(shape)' is too large a shape: at most 3 sides of at most \(Limits.reshapeSide) each")
                }
                try noMore(words, after: "reshape \(shape)")
                return .success(.reshape(dims))
            default:
                if Activation.names.contains(head) || head.hasPrefix("leaky") {
                    words.insert(head, at: words.startIndex)
                    return .success(.activation(try activationRest(&words, default: nil)))
                }
                let hint = Suggestion.hint(for: head, in: layerWords + Activation.names)
                throw SpecError("unknown layer '\(head)'\(hint) (layers: dense, conv, deconv, flatten, reshape, or an activation)")
            }
        } catch let error as SpecError {
            return .failure(error)
        } catch {
            return .failure(SpecError("\(error)"))
        }
    }

    private static func positive(_ word: String?, what: String, after: String, limit: Int) throws -> Int {
        guard let word else { throw SpecError("'\(after)' needs \(what)") }
        guard let value = Int(word), value > 0 else {
            // All digits yet no Int: a number beyond Int.max.
            if Int(word) == nil, !word.isEmpty, word.allSatisfy(\.isASCIIDigit) { throw SpecError("\(word) is too large for \(what) (at most \(limit))") }
            throw SpecError("'\(word)' is not \(what) (a whole number above 0)")
        }
        guard value <= limit else { throw SpecError("\(word) is too large for \(what) (at most \(limit))") }
        return value
    }

    private static func size(_ word: String, what: String) throws -> Size {
        let parts = word.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        let valid: Size?
        if parts.count == 1, let n = parts[0], n > 0 { valid = Size(height: n, width: n) }
        else if parts.count == 2, let h = parts[0], let w = parts[1], h > 0, w > 0 { valid = Size(height: h, width: w) }
        else { valid = nil }
        guard let valid else { throw SpecError("'\(word)' is not a \(what); write it like 3x3 or 3") }
        guard max(valid.height, valid.width) <= Limits.kernelOrStride else {
            throw SpecError("\(word) is too large a \(what) (at most \(Limits.kernelOrStride) on a side)")
        }
        return valid
    }

    private static func activationRest(_ words: inout ArraySlice<String>, default fallback: Activation?) throws -> Activation {
        guard let word = words.popFirst()?.lowercased() else {
            if let fallback { return fallback }
            throw SpecError("missing activation")
        }
        let activation: Activation
        switch word {
        case "linear": activation = .linear
        case "relu": activation = .relu
        case "sigmoid": activation = .sigmoid
        case "tanh": activation = .tanh
        case "leaky-relu", "leaky_relu", "leakyrelu":
            if let next = words.first, let alpha = Double(next) {
                words.removeFirst()
                guard alpha >= 0, alpha < 1 else { throw SpecError("leaky-relu's slope must be in [0, 1), got \(next)") }
                activation = .leakyReLU(alpha: alpha)
            } else {
                activation = .leakyReLU(alpha: 0.3)  // Keras's default for LeakyReLU
            }
        default:
            throw SpecError("unknown activation '\(word)'\(Suggestion.hint(for: word, in: Activation.names)) (activations: \(Activation.names.joined(separator: ", ")))")
        }
        try noMore(words, after: word)
        return activation
    }

    private static func noMore(_ words: ArraySlice<String>, after: String) throws {
        if let extra = words.first { throw SpecError("unexpected '\(extra)' after '\(after)'") }
    }
}

/// Why a layer or transform description could not be read.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
