/// The step kinds a lab may use: the info string of the fence is `swift-lab <kind>`.
///
/// A kind is declared here, with its keys (``keys``) and the name it defines, and run by a
/// ``StepInterpreter``, which has one method per kind: a new kind is a case, its keys and a
/// requirement here, and the method in the interpreters' file for it, which the compiler asks for.
public enum StepKind: String, Sendable, CaseIterable {
    case load, split, train, score, plot, challenge, answer, todo

    /// The kind of name this step's `as:` defines.
    var definesKind: NameKind? {
        switch self {
        case .load, .split: return .dataset
        case .train: return .model
        case .score: return .score
        case .plot, .challenge, .answer, .todo: return nil
        }
    }

    /// The keys a step of this kind takes, with their types, defaults and rules.
    public var keys: KeySet {
        switch self {
        case .load: return LabSchema.loadKeys
        case .split: return LabSchema.splitKeys
        case .train: return LabSchema.trainKeys
        case .score: return LabSchema.scoreKeys
        case .plot: return LabSchema.plotKeys
        case .challenge: return LabSchema.challengeKeys
        case .answer: return LabSchema.answerKeys
        case .todo: return LabSchema.todoKeys
        }
    }

    /// Runs `interpreter`'s method for this kind.
    public func interpret<Interpreter: StepInterpreter>(_ input: Interpreter.Input, with interpreter: inout Interpreter) throws(Interpreter.Failure) -> Interpreter.Output {
        switch self {
        case .load: return try interpreter.load(input)
        case .split: return try interpreter.split(input)
        case .train: return try interpreter.train(input)
        case .score: return try interpreter.score(input)
        case .plot: return try interpreter.plot(input)
        case .challenge: return try interpreter.challenge(input)
        case .answer: return try interpreter.answer(input)
        case .todo: return try interpreter.todo(input)
        }
    }
}

/// Something that goes through a lab step by step (the run, the checks before it): one method per
/// step kind, so that a kind nothing handles does not compile.
///
/// ```swift
/// struct Counter: StepInterpreter {
///     typealias Failure = Never
///     var loads = 0
///     mutating func load(_ step: Step) { loads += 1 }
///     func split(_ step: Step) {}
///     func train(_ step: Step) {}
///     func score(_ step: Step) {}
///     func plot(_ step: Step) {}
///     func challenge(_ step: Step) {}
///     func answer(_ step: Step) {}
///     func todo(_ step: Step) {}
/// }
/// var counter = Counter()
/// for step in lab.steps { step.kind.interpret(step, with: &counter) }
/// ```
public protocol StepInterpreter {
    /// What each method is given: the step, or a reader of it.
    associatedtype Input
    /// What each method gives back.
    associatedtype Output
    /// What each method throws: `Never` for an interpreter that only collects.
    associatedtype Failure: Error = any Error
    mutating func load(_ input: Input) throws(Failure) -> Output
    mutating func split(_ input: Input) throws(Failure) -> Output
    mutating func train(_ input: Input) throws(Failure) -> Output
    mutating func score(_ input: Input) throws(Failure) -> Output
    mutating func plot(_ input: Input) throws(Failure) -> Output
    mutating func challenge(_ input: Input) throws(Failure) -> Output
    mutating func answer(_ input: Input) throws(Failure) -> Output
    mutating func todo(_ input: Input) throws(Failure) -> Output
}

/// The lab format: the front matter's keys and every step kind's keys.
///
/// This table is the single source of truth: `swift-lab check` validates against it,
/// `swift-lab schema --markdown` writes the reference in `docs/lab-format.md` from it, and the
/// interpreter reads defaults from it.
public enum LabSchema {
    public static let frontMatter = KeySet([
        KeySpec("title", .string, .optional(default: "the first heading, else the file name"), "Title of the lab and its report."),
        KeySpec("seed", .integer(min: 0, max: nil), .optional(default: "0"), "Seed of every random choice: initialisation, shuffling, sampling, splits."),
        KeySpec("params", .parameters, .optional(default: nil), "Parameters with their defaults, used in steps as `${name}` and overridden by `--set name=value`."),
        KeySpec("description", .string, .optional(default: nil), "One paragraph saying what the lab teaches; shown under the title."),
        KeySpec("student", .string, .optional(default: "the report's file name"), "Who hands the lab in: recorded in the report, and the student's row in `swift-lab grade`."),
    ])

    /// Score methods that need a trained model (`model:`).
    public static let modelScoreMethods = ScoreMethod.allCases.filter { !$0.isBaseline }.map(\.rawValue)
    /// Score methods that only a VAE can compute.
    public static let vaeScoreMethods = ScoreMethod.allCases.filter(\.needsVAE).map(\.rawValue)
    /// Classical detectors fitted on a dataset (`fit:`).
    public static let baselineScoreMethods = ScoreMethod.allCases.filter(\.isBaseline).map(\.rawValue)

    /// Metrics a challenge can measure, as `score.metric`.
    public static let metrics = ["auc", "ap", "pr_auc", "f1", "precision", "recall", "accuracy"]

    static let anomalies = KeySet([
        KeySpec("from", .reference(.dataset), .required, "Dataset the anomalies are taken from."),
        KeySpec("classes", .classes(datasetKey: "from"), .optional(default: "all"), "Only these classes of `from` become anomalies."),
        KeySpec("limit", .integer(min: 1, max: nil), .optional(default: "all"), "At most this many anomalies (a seeded, class-stratified sample)."),
        KeySpec("transform", .transform, .optional(default: "none"), "A corruption applied to every injected anomaly, e.g. `rotate 90`."),
    ])

    static let contamination = KeySet([
        KeySpec("fraction", .fraction, .required, "Share of the samples that are corrupted and flagged as anomalies."),
        KeySpec("kinds", .list(.transform), .required, "Corruptions, one drawn at random per corrupted sample: `rotate A`, `transpose`, `flip`, `noise SIGMA`, `noise uniform MU`, `invert P`, `blackout SIZE`, `blackout half`."),
    ])

    static let threshold = KeySet([
        KeySpec("value", .number(min: nil, minInclusive: true, max: nil, maxInclusive: true), .optional(default: nil), "A fixed threshold on the score."),
        KeySpec("sigma", .number(min: 0, minInclusive: false, max: nil, maxInclusive: true), .optional(default: nil), "k: the threshold is mean + k·std of the scores of the `on` dataset."),
        KeySpec("on", .reference(.dataset), .optional(default: "the model's or baseline's training data"), "Dataset whose scores give the mean and std for `sigma`."),
        KeySpec("f1_optimal", .reference(.dataset), .optional(default: nil), "A labelled validation dataset: the threshold that maximises F1 on it."),
        KeySpec("top", .fraction, .optional(default: nil), "Flag this fraction of the highest-scoring samples."),
    ], rules: [.exactlyOne(["value", "sigma", "f1_optimal", "top"]), .requires("on", ["sigma"])])

    static let loadKeys: KeySet = KeySet([
        KeySpec("dataset", .datasetSource, .required, "A registered dataset (`mnist`, `fashion-mnist`) or a path to a CSV file, relative to the lab."),
        KeySpec("path", .string, .optional(default: "the search path"), "Directory holding the registered dataset's IDX files, relative to the lab; searched before anything else."),
        KeySpec("split", .choice(["train", "test", "all"]), .optional(default: "train"), "Which part of a registered dataset to load; `all` is train followed by test."),
        KeySpec("classes", .classes(datasetKey: "dataset"), .optional(default: "all"), "Keep only these classes (labels or class names)."),
        KeySpec("exclude", .classes(datasetKey: "dataset"), .optional(default: "none"), "Drop these classes."),
        KeySpec("limit", .integer(min: 1, max: nil), .optional(default: "all"), "Keep at most this many samples: a seeded sample, stratified by class."),
        KeySpec("label", .string, .optional(default: "label"), "CSV only: the column that holds the class label."),
        KeySpec("scale", .choice(["none", "minmax", "zscore"]), .optional(default: "none"), "CSV only: per-column scaling of the features. Images are always scaled to [0, 1]."),
        KeySpec("as", .definition(.dataset), .required, "Name of the loaded dataset."),
    ], rules: [.atMostOne(["classes", "exclude"])])

    static let splitKeys: KeySet = KeySet([
        KeySpec("data", .reference(.dataset), .optional(default: nil), "Dataset to hold classes out of, contaminate, or partition."),
        KeySpec("normal", .reference(.dataset), .optional(default: nil), "Normal samples, to which `anomalies` adds anomalies from another dataset."),
        KeySpec("anomalies", .record(anomalies), .optional(default: nil), "Inject anomalies: `{from: NAME, classes: [...], limit: N, transform: T}`."),
        KeySpec("holdout", .classes(datasetKey: "data"), .optional(default: nil), "Classes of `data` that become the anomalies; the rest stay normal."),
        KeySpec("contaminate", .record(contamination), .optional(default: nil), "Corrupt a fraction of `data`: `{fraction: F, kinds: [...]}`."),
        KeySpec("parts", .partition, .optional(default: nil), "Partition `data` into new datasets: `{train: 0.9, test: 0.1}`; fractions must add up to 1."),
        KeySpec("stratify", .boolean, .optional(default: "true"), "With `parts`: keep each class's share the same in every part."),
        KeySpec("as", .definition(.dataset), .optional(default: nil), "Name of the result (every form but `parts`, whose keys are the names)."),
    ], rules: [
        .exactlyOne(["anomalies", "holdout", "contaminate", "parts"]),
        .requires("anomalies", ["normal", "as"]),
        .requires("holdout", ["data", "as"]),
        .requires("contaminate", ["data", "as"]),
        .requires("parts", ["data"]),
        .atMostOne(["data", "normal"]),
        .atMostOne(["parts", "as"]),
    ])

    static let trainKeys: KeySet = KeySet([
        KeySpec("model", .choice(["autoencoder", "vae"]), .required, "An autoencoder, or a variational autoencoder."),
        KeySpec("data", .reference(.dataset), .required, "Training data; only its normal samples are used, unless `train_on: all`."),
        KeySpec("train_on", .choice(["normal", "all"]), .optional(default: "normal"), "`all` trains on every sample of `data`, anomalies included: the contaminated setting, where the training set is not clean."),
        KeySpec("validation", .reference(.dataset), .optional(default: "none"), "Data whose loss is reported after each epoch."),
        KeySpec("encoder", .list(.layers), .required, "Encoder layers, input first (see Layers below)."),
        KeySpec("latent", .integer(min: 1, max: 65_536), .required, "Size of the latent code. For an autoencoder it is the size of the encoder's output; a VAE adds mean and log-variance heads of this size after the encoder."),
        KeySpec("decoder", .list(.layers), .required, "Decoder layers, latent first; the last one must give the input's shape back."),
        KeySpec("loss", .choice(["bce", "mse"]), .optional(default: "`mse` for an autoencoder, `bce` for a VAE"), "Reconstruction loss: binary cross-entropy or squared error. An autoencoder averages it over pixels (as Keras does); a VAE sums it, as a log-likelihood."),
        KeySpec("beta", .number(min: 0, minInclusive: true, max: nil, maxInclusive: true), .optional(default: "1"), "Weight of the KL term; 0 trains without it.", onlyWhen: ("model", ["vae"])),
        KeySpec("epsilon_std", .number(min: 0, minInclusive: false, max: nil, maxInclusive: true), .optional(default: "1"), "Standard deviation of the noise in z = mean + exp(logvar/2)·ε.", onlyWhen: ("model", ["vae"])),
        KeySpec("optimizer", .choice(["adam", "rmsprop", "sgd"]), .optional(default: "adam"), "Optimiser, with Keras's defaults."),
        KeySpec("learning_rate", .number(min: 0, minInclusive: false, max: nil, maxInclusive: true), .optional(default: "0.001 (adam, rmsprop), 0.01 (sgd)"), "Step size."),
        KeySpec("momentum", .number(min: 0, minInclusive: true, max: 1, maxInclusive: false), .optional(default: "0"), "Momentum of SGD.", onlyWhen: ("optimizer", ["sgd"])),
        KeySpec("batch", .integer(min: 1, max: nil), .optional(default: "32"), "Samples per gradient step."),
        KeySpec("epochs", .integer(min: 1, max: nil), .required, "Passes over the training data."),
        KeySpec("shuffle", .boolean, .optional(default: "true"), "Shuffle the training data before each epoch (seeded)."),
        KeySpec("patience", .integer(min: 1, max: nil), .optional(default: "none"), "Stop early after this many epochs without improvement of the validation loss (the training loss without validation)."),
        KeySpec("as", .definition(.model), .required, "Name of the trained model."),
    ])

    static let scoreKeys: KeySet = KeySet([
        KeySpec("method", .choice(modelScoreMethods + baselineScoreMethods), .required, "How a sample is scored; larger always means more anomalous (probabilities and ELBOs are negated)."),
        KeySpec("model", .reference(.model), .optional(default: nil), "Trained model, for the model-based methods."),
        KeySpec("fit", .reference(.dataset), .optional(default: "the model's training data"), "Data a baseline (or the latent Gaussian of `latent-mahalanobis`) is fitted on."),
        KeySpec("data", .reference(.dataset), .required, "Samples to score."),
    ] + ScoreMethod.keys + [
        KeySpec("threshold", .record(threshold), .optional(default: "none"), "Decision threshold, for precision, recall, F1 and the confusion matrix."),
        KeySpec("as", .definition(.score), .required, "Name of the scores."),
    ], rules: ScoreMethod.rules)

    static let plotKeys: KeySet = KeySet([
        KeySpec("kind", .choice(PlotKind.allCases.map(\.rawValue)), .required, "The chart (see Plot kinds below)."),
        KeySpec("scores", .oneOrMore(.reference(.score)), .optional(default: nil), "Scores to plot; ROC and PR curves take several."),
        KeySpec("model", .reference(.model), .optional(default: nil), "Model to plot from."),
        KeySpec("data", .reference(.dataset), .optional(default: nil), "Samples to plot."),
    ] + PlotKind.options + [
        KeySpec("title", .string, .optional(default: "from the kind"), "Chart title."),
    ], rules: plotRules)

    /// One rule per set of needs, naming every kind that has it.
    private static var plotRules: [KeyRule] {
        var groups: [(needs: [String], kinds: [String])] = []
        for kind in PlotKind.allCases {
            if let i = groups.firstIndex(where: { $0.needs == kind.needs }) { groups[i].kinds.append(kind.rawValue) } else { groups.append((kind.needs, [kind.rawValue])) }
        }
        return groups.map { KeyRule.whenValue(key: "kind", values: $0.kinds, needs: $0.needs) }
    }

    static let challengeKeys: KeySet = KeySet([
        KeySpec("title", .string, .required, "Short title of the exercise."),
        KeySpec("prompt", .string, .required, "What the student is asked to do (Markdown)."),
        KeySpec("hint", .string, .optional(default: "none"), "A hint, shown folded."),
        KeySpec("vary", .parameterValues, .optional(default: "none"), "`{parameter: [values]}`: re-run what the parameter affects for each value. One parameter per challenge."),
        KeySpec("with", .parameterSettings, .optional(default: "none"),
                "`{parameter: value}`: settings every value of `vary` runs with, e.g. `{epochs: 5}` to keep a challenge that retrains affordable."),
        KeySpec("measure", .metricPath, .optional(default: "none"), "`score.metric` measured for each value; metrics: auc, ap, pr_auc, f1, precision, recall, accuracy."),
        KeySpec("expect", .expectation, .optional(default: "none"), "`metric op number` (op: <, <=, >, >=), shown as pass or fail per value."),
        // Every metric a challenge measures is a fraction, so a published one is too (and a
        // value such as 1e308 cannot stretch the chart's axis beyond what a Double holds).
        KeySpec("published", .list(.fraction), .optional(default: "none"),
                "Published values of `measure` (fractions, as every metric is), one per value of `vary` in the same order: shown beside the measured ones, with the mean of each. Cite the source in the prose."),
    ], rules: [.requires("vary", ["measure"]), .requires("expect", ["measure"]), .requires("with", ["vary"]), .requires("published", ["vary"])])

    /// A student's written answer. Its text is not part of the lab's computation: the lab's
    /// checksum leaves it out, and `diff` and `grade` list answers per question.
    static let answerKeys: KeySet = KeySet([
        KeySpec("question", .string, .required, "The question's id (letters, digits, `_`, `-`, `.`), as the rubric names it, e.g. `q1`."),
        KeySpec("text", .string, .optional(default: "none: the answer is still to write"), "The answer, in Markdown (a YAML block: `text: |` and the answer indented below)."),
    ])

    /// What `swift-lab handout` leaves where it removed a solution: the student's part. `check`
    /// reports it as "to complete", not as an error; `run` stops at it.
    static let todoKeys: KeySet = KeySet([
        KeySpec("task", .string, .required, "What the student writes here."),
        KeySpec("datasets", .list(.string), .optional(default: "none"), "Datasets the completed part defines, which later steps use."),
        KeySpec("models", .list(.string), .optional(default: "none"), "Models the completed part defines."),
        KeySpec("scores", .list(.string), .optional(default: "none"), "Scores the completed part defines."),
    ])

    /// The default declared for `key` of a `kind` step, as the reference shows it ("32",
    /// "adam"); nil for a key that is required or whose default is described in words.
    public static func declaredDefault(of key: String, in kind: StepKind) -> String? {
        guard case .optional(let text)? = kind.keys[key]?.requirement else { return nil }
        return text
    }
}
