/// The charts a `plot` step draws: the vocabulary of its `kind:` key. Each kind's needs, the
/// options plots read, and how `check` pairs a kind's keys are declared here; the schema, the
/// generated reference and the interpreter read them, and the interpreter switches over the
/// kinds exhaustively, so a new kind is a case here and one in the interpreter.
///
/// ```swift
/// PlotKind(rawValue: "roc")?.needs          // ["scores"]
/// PlotKind.latent.encodesData               // true
/// ```
public enum PlotKind: String, Sendable, CaseIterable {
    case loss, samples
    case latent, manifold, reconstructions
    case histogram, kde, roc, pr, errors, confusion, thresholds
    case examples, outliers

    /// The keys a plot of this kind must have besides `kind`.
    public var needs: [String] {
        switch self {
        case .loss, .samples: return ["model"]
        case .latent, .manifold, .reconstructions: return ["model", "data"]
        case .histogram, .kde, .roc, .pr, .errors, .confusion, .thresholds, .outliers: return ["scores"]
        case .examples: return ["data"]
        }
    }

    /// Passes `data` through `model`, which must therefore take samples like `data`'s.
    public var encodesData: Bool {
        switch self {
        case .latent, .manifold, .reconstructions: return true
        case .loss, .samples, .histogram, .kde, .roc, .pr, .errors, .confusion, .thresholds, .examples, .outliers: return false
        }
    }

    /// Pairs the samples of `data` one to one with `scores`, which must have been computed on them.
    public var pairsScoresWithData: Bool {
        switch self {
        case .latent, .reconstructions, .outliers, .examples: return true
        case .loss, .samples, .manifold, .histogram, .kde, .roc, .pr, .errors, .confusion, .thresholds: return false
        }
    }

    /// Draws one curve per score of `scores`; the other kinds that read scores draw one.
    public var comparesScores: Bool {
        switch self {
        case .roc, .pr: return true
        case .loss, .samples, .latent, .manifold, .reconstructions, .histogram, .kde, .errors, .confusion, .thresholds, .examples, .outliers: return false
        }
    }

    /// What the chart shows, as the reference says it.
    public var summary: String {
        switch self {
        case .loss: return "Training (and validation) loss per epoch; a VAE's reconstruction and KL terms too."
        case .samples: return "Images decoded from draws of the prior N(0, I)."
        case .latent: return "The encoded means of `data` as points; a latent of more than two dimensions on its first two principal components."
        case .manifold: return "A grid of images decoded from a 2-d grid of latent codes."
        case .reconstructions: return "Images of `data` above the model's reconstructions of them."
        case .histogram: return "Histogram of the normal and anomalous scores, with the threshold."
        case .kde: return "Kernel density estimates of the normal and anomalous scores."
        case .roc: return "ROC curves of one or more scores, with their AUC."
        case .pr: return "Precision-recall curves of one or more scores, with their average precision."
        case .errors: return "Each sample's score, by position, normal and anomalous apart."
        case .confusion: return "The confusion matrix at the score's threshold."
        case .thresholds: return "Precision, recall and F1 of flagging every score at or above each threshold: where to set one."
        case .examples: return "A grid of images of `data`."
        case .outliers: return "A grid of the images the scores rank most (or least) anomalous."
        }
    }

    /// The options plot steps read beyond `kind`, `scores`, `model`, `data` and `title`; each
    /// says which kinds read it.
    static let options: [KeySpec] = [
        KeySpec("group", .choice(["all", "normal", "anomalous"]), .optional(default: "all"), "Only the normal, or only the anomalous, samples of `data` (or of the scored samples)."),
        KeySpec("indices", .list(.integer(min: 0, max: nil)), .optional(default: nil), "Image grids: show exactly these samples (0-based positions in `data`) instead of `select`."),
        KeySpec("color", .choice(["class", "anomaly", "score"]), .optional(default: "class"), "`latent`: colour points by class (anomalies in black), by anomaly flag, or by `scores`."),
        KeySpec("select", .choice(["random", "first", "most-normal", "most-anomalous"]), .optional(default: "random"), "Which samples image grids show; the last two rank by `scores`."),
        KeySpec("count", .integer(min: 1, max: 400), .optional(default: "10"), "Images in a grid, or samples drawn from the prior."),
        KeySpec("grid", .integer(min: 2, max: 30), .optional(default: "15"), "`manifold`: images per side."),
        KeySpec("span", .number(min: 0, minInclusive: false, max: 1_000, maxInclusive: true), .optional(default: "1"), "`manifold`: half-width of the grid, in standard deviations of the encoded data (or of the prior)."),
        KeySpec("center", .choice(["data", "prior"]), .optional(default: "data"), "`manifold`: centre the grid on the encoded data's mean and std, or on the prior N(0, I)."),
        KeySpec("bins", .integer(min: 2, max: 500), .optional(default: "50"), "`histogram`: number of shared bins."),
        KeySpec("density", .boolean, .optional(default: "false"), "`histogram`: show densities instead of counts."),
        KeySpec("per_group", .integer(min: 1, max: nil), .optional(default: "all"), "`errors`: the first N normal and N anomalous samples."),
        KeySpec("threshold", .number(min: nil, minInclusive: true, max: nil, maxInclusive: true), .optional(default: "the score's threshold"), "`errors`, `histogram`: draw this threshold."),
    ]
}
