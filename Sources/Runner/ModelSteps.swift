import Charts
import Datasets
import Detection
import Engine
import Foundation
import LabDocument
import Randomness
import Report

/// `train` and `score`.
extension LabRun {
    func train(_ r: StepReader) throws -> [ReportDocument.Output] {
        let data = try workspace.dataset(try r.string("data"), line: r.line)
        let keepsAnomalies = r.choice("train_on") == "all"
        let normal = keepsAnomalies ? data : data.filtered { !$0.isAnomaly }
        guard normal.count > 0 else { throw r.fail("'\(data.name)' has no normal samples to train on; train_on: all trains on its anomalies too") }
        let architecture = try Self.architecture(r, inputShape: data.shape)
        let model: Model
        do {
            try ModelBudget.check(try architecture.plan(), batch: r.int("batch"))
            model = try Model(architecture, seed: stepSeed(r))
        } catch let error as ArchitectureError {
            throw r.fail("cannot build the model: \(error)", key: "encoder")
        }
        let optimizerName = r.choice("optimizer")
        let optimizer: OptimizerConfig
        switch optimizerName {
        case "rmsprop": optimizer = .rmsprop(learningRate: Float(r.number("learning_rate", default: 0.001)))
        case "sgd": optimizer = .sgd(learningRate: Float(r.number("learning_rate", default: 0.01)), momentum: Float(r.number("momentum")))
        default: optimizer = .adam(learningRate: Float(r.number("learning_rate", default: 0.001)))
        }
        var epochs = try r.requiredInt("epochs")
        if let limit = options.epochLimit { epochs = min(epochs, limit) }
        let config = TrainingConfig(epochs: epochs, batchSize: r.int("batch"), shuffle: r.bool("shuffle"),
                                    optimizer: optimizer, patience: r.optionalInt("patience"), seed: stepSeed(r) &+ 1)
        let name = try r.string("as")
        let key = cacheKey("train")
        let history: [EpochRecord], seconds: Double
        if let cached = cachedTraining(key, into: model, name: name) {
            (history, seconds) = (cached.history, cached.seconds)
            timings.append((key: "train \(name) seconds", value: String(format: "%.1f (cached)", seconds)))
        } else {
            let x = normal.matrix()
            let validation = try r.optionalString("validation").map { name -> [Float] in
                let validation = try workspace.dataset(name, line: r.line)
                guard validation.sampleSize == normal.sampleSize else {
                    throw r.fail("the validation data '\(name)' has samples of \(validation.sampleSize) values, but the training data '\(normal.name)' has \(normal.sampleSize)", key: "validation")
                }
                return validation.matrix()
            }
            let started = Date()
            do {
                history = try x.withUnsafeBufferPointer { xs in
                    try fit(model, xs, count: normal.count, validation: validation, config: config)
                }
            } catch let error as TrainingError {
                throw r.fail(error.description)
            }
            seconds = Date().timeIntervalSince(started)
            storeTraining(TrainingRecord(history: history, seconds: seconds), model: model, key: key)
            timings.append((key: "train \(name) seconds", value: String(format: "%.1f", seconds)))
        }
        let trained = Workspace.TrainedModel(model: model, history: history, trainedOn: normal.name, seconds: seconds)
        workspace.models[name] = trained
        workspace.results.append(["step": "train", "name": name, "parameters": model.parameterCount, "epochs": history.count,
                                  "final_loss": history.last.map { Self.rounded($0.loss.total) } ?? 0])
        let last = history.last
        var notes = ["Its training time is in the run section, with the other figures that vary between machines."]
        if data.anomalyCount > 0 {
            notes.insert(keepsAnomalies
                ? "Trained on all \(data.count) samples of '\(data.name)', its \(data.anomalyCount) anomalies included (train_on: all)."
                : "Trained on the \(normal.count) normal samples of '\(data.name)'; its \(data.anomalyCount) anomalies were left out (train_on: all keeps them).", at: 0)
        }
        return [
            .code(model.summary(name: name).text),
            .text(notes.joined(separator: " ")),
            .table(header: ["training", "value"], rows: trainingRows(samples: normal.count, epochs: history.count, optimizer: optimizerName, config: config, last: last)),
            .chart(svg: Self.lossChart(trained, title: "Training loss of \(name)"), caption: nil),
        ]
    }

    /// One setting or result per row, so that reports diff line by line.
    private func trainingRows(samples: Int, epochs: Int, optimizer: String, config: TrainingConfig, last: EpochRecord?) -> [[String]] {
        var rows = [["normal samples", String(samples)], ["epochs run", String(epochs)], ["optimizer", optimizer], ["batch size", String(config.batchSize)]]
        if let last {
            rows.append(["final loss", Self.format(last.loss.total)])
            if let validation = last.validation { rows.append(["final validation loss", Self.format(validation.total)]) }
        }
        return rows
    }

    private func fit(_ model: Model, _ xs: UnsafeBufferPointer<Float>, count: Int, validation: [Float]?, config: TrainingConfig) throws -> [EpochRecord] {
        let d = model.architecture.inputSize
        let progress = options.progress
        let report: (TrainingEvent) -> Void = { event in
            switch event {
            case .batch(let epoch, let batch, let batches, let loss):
                progress(.batch(epoch: epoch, epochs: config.epochs, batch: batch, batches: batches, loss: loss))
            case .epoch(let record, let epochs):
                var line = "  epoch \(record.epoch)/\(epochs): loss \(Self.format(record.loss.total))"
                if let v = record.validation { line += ", validation \(Self.format(v.total))" }
                progress(.epoch(line + String(format: " (%.1f s)", record.seconds)))
            }
        }
        guard let validation else {
            return try Trainer.fit(model, data: SampleMatrix(values: xs.baseAddress!, count: count, sampleSize: d), config: config, progress: report)
        }
        return try validation.withUnsafeBufferPointer { vs in
            try Trainer.fit(model, data: SampleMatrix(values: xs.baseAddress!, count: count, sampleSize: d),
                            validation: SampleMatrix(values: vs.baseAddress!, count: validation.count / d, sampleSize: d), config: config, progress: report)
        }
    }

    /// The architecture a `train` step describes, for data of `inputShape`.
    static func architecture(_ r: StepReader, inputShape: [Int]) throws -> Architecture {
        let kind: Architecture.Kind = try r.string("model") == "vae" ? .vae : .autoencoder
        let loss = ReconstructionLoss(rawValue: r.string("loss", default: kind == .vae ? "bce" : "mse")) ?? .mse
        return Architecture(kind: kind, inputShape: inputShape,
                            encoder: try layers("encoder", r), latent: try r.requiredInt("latent"), decoder: try layers("decoder", r),
                            loss: loss, beta: Float(r.number("beta")), epsilonStd: Float(r.number("epsilon_std")))
    }

    private static func layers(_ key: String, _ r: StepReader) throws -> [LayerConfig] {
        try (r.value(key)?.list ?? []).compactMap(\.string).map { text in
            switch LayerSpec.parse(text) {
            case .failure(let error): throw r.fail("layer '\(text)': \(error)")
            case .success(let spec): return engineLayer(spec)
            }
        }
    }

    static func engineLayer(_ spec: LayerSpec) -> LayerConfig {
        func activation(_ a: LayerSpec.Activation) -> Activation {
            switch a {
            case .linear: return .linear
            case .relu: return .relu
            case .sigmoid: return .sigmoid
            case .tanh: return .tanh
            case .leakyReLU(let alpha): return .leakyReLU(alpha: Float(alpha))
            }
        }
        func padding(_ p: LayerSpec.Padding) -> Padding { p == .same ? .same : .valid }
        switch spec {
        case .dense(let units, let a): return .dense(units: units, activation: activation(a))
        case .conv(let f, let k, let s, let p, let a):
            return .conv(filters: f, kernel: (k.height, k.width), stride: (s.height, s.width), padding: padding(p), activation: activation(a))
        case .deconv(let f, let k, let s, let p, let a):
            return .deconv(filters: f, kernel: (k.height, k.width), stride: (s.height, s.width), padding: padding(p), activation: activation(a))
        case .flatten: return .flatten
        case .reshape(let dims): return .reshape(dims)
        case .activation(let a): return .activation(activation(a))
        }
    }

    /// A score that is not a number cannot be ranked: stop here, at the step that made it, rather
    /// than print "nan" in a table and fail at some later chart.
    static func requireFinite(_ values: [Double], method: ScoreMethod, _ r: StepReader) throws {
        let bad = values.filter { !$0.isFinite }
        guard let first = bad.first else { return }
        let why = first.isNaN
            ? "usually a model whose likelihood does not fit its data (such as a VAE trained with 'mse' scored by a Bernoulli likelihood), or a bandwidth or variance so small that every density underflows"
            : "usually a bandwidth or variance so small that densities underflow to zero, or a model that diverged in training"
        throw r.fail("\(bad.count) of \(values.count) '\(method.rawValue)' scores are not finite (\(first)): \(why)", key: "method")
    }

    func score(_ r: StepReader) throws -> [ReportDocument.Output] {
        guard let method = ScoreMethod(rawValue: try r.string("method")) else { throw r.fail("unknown score method", key: "method") }
        let data = try workspace.dataset(try r.string("data"), line: r.line)
        let anomalies = data.samples.map(\.isAnomaly)
        let key = cacheKey("score")
        let values: [Double], terms: [ScoredSamples.Term], threshold: Double?
        if let cached = cachedScores(key, count: data.count, name: r.optionalString("as") ?? method.rawValue) {
            (values, terms, threshold) = cached
        } else {
            let scored = try computeScores(method: method, on: data, r)
            (values, terms) = (scored.values, scored.terms)
            try Self.requireFinite(values, method: method, r)
            for term in terms { try Self.requireFinite(term.values, method: method, r) }
            threshold = try r.value("threshold").map { try resolveThreshold($0, method: method, scores: values, r) }
            if let threshold, !threshold.isFinite {
                throw r.fail("the threshold works out to \(threshold), not a number a score can be compared with", key: "threshold")
            }
            storeScores(values, terms: terms, threshold: threshold, key: key)
        }
        var metrics = Workspace.Metrics()
        var outputs: [ReportDocument.Output] = []
        let hasBoth = anomalies.contains(true) && anomalies.contains(false)
        if hasBoth {
            metrics.auc = try? ROCCurve(scores: values, anomalies: anomalies).auc
            if let pr = try? PrecisionRecallCurve(scores: values, anomalies: anomalies) {
                metrics.averagePrecision = pr.averagePrecision
                metrics.prAUC = pr.trapezoidalAUC
            }
        }
        if let threshold { metrics.classification = try? Classification(scores: values, anomalies: anomalies, threshold: threshold) }
        let name = try r.string("as")
        workspace.scores[name] = Workspace.Scores(values: values, anomalies: anomalies, method: method.rawValue, data: data.name, threshold: threshold, metrics: metrics)
        summaryRows.append(.init(name: name, method: method.rawValue, auc: metrics.auc.map(Self.format) ?? "–", ap: metrics.averagePrecision.map(Self.format) ?? "–",
                                 f1: metrics.classification.map { Self.format($0.f1) } ?? "–"))
        var result: [String: Any] = ["step": "score", "name": name, "method": method.rawValue, "data": data.name, "samples": values.count]
        for key in ["auc", "ap", "pr_auc", "f1", "precision", "recall", "accuracy"] { if let v = metrics.value(key) { result[key] = Self.rounded(v) } }
        if let threshold { result["threshold"] = Self.rounded(threshold) }
        workspace.results.append(result)

        let normalScores = zip(values, anomalies).filter { !$0.1 }.map(\.0), anomalousScores = zip(values, anomalies).filter(\.1).map(\.0)
        func stats(_ v: [Double]) -> [String] {
            guard !v.isEmpty else { return ["0", "–", "–"] }
            let mean = v.reduce(0, +) / Double(v.count)
            let std = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
            return [String(v.count), Self.format(mean), Self.format(std)]
        }
        outputs.append(.text("Scores: \(method.meaning)"))
        outputs.append(.table(header: ["samples", "count", "mean score", "std"], rows: [["normal"] + stats(normalScores), ["anomalous"] + stats(anomalousScores)]))
        if let table = Self.termTable(terms, anomalies: anomalies) { outputs.append(table) }
        var metricRows: [[String]] = []
        if let auc = metrics.auc { metricRows.append(["ROC AUC", Self.format(auc)]) }
        if let ap = metrics.averagePrecision { metricRows.append(["average precision", Self.format(ap)]) }
        if let threshold, let c = metrics.classification {
            metricRows += [["threshold", Self.format(threshold)], ["precision", Self.format(c.precision)], ["recall", Self.format(c.recall)],
                           ["F1", Self.format(c.f1)], ["accuracy", Self.format(c.accuracy)]]
        }
        if !metricRows.isEmpty { outputs.append(.table(header: ["metric", "value"], rows: metricRows)) }
        if let byKind = Self.aucByCorruption(values, data: data) { outputs.append(byKind) }
        if threshold != nil, let c = metrics.classification {
            outputs.append(.table(header: ["confusion matrix", "flagged (score ≥ threshold)", "not flagged"],
                                  rows: [["normal", String(c.falsePositives), String(c.trueNegatives)],
                                         ["anomalous", String(c.truePositives), String(c.falseNegatives)]]))
        }
        return outputs
    }

    /// The terms a score combines, side by side: their mean over the normal and over the
    /// anomalous samples, so that a reader sees which term separates them.
    static func termTable(_ terms: [ScoredSamples.Term], anomalies: [Bool]) -> ReportDocument.Output? {
        guard !terms.isEmpty else { return nil }
        func mean(_ term: ScoredSamples.Term, anomalous: Bool) -> String {
            let chosen = zip(term.values, anomalies).filter { $0.1 == anomalous }.map(\.0)
            return chosen.isEmpty ? "–" : Self.format(chosen.reduce(0, +) / Double(chosen.count))
        }
        return .table(header: ["mean of"] + terms.map(\.name),
                      rows: [["normal"] + terms.map { mean($0, anomalous: false) }, ["anomalous"] + terms.map { mean($0, anomalous: true) }])
    }

    /// With more than one kind of corruption among the anomalies: ROC AUC of each kind against
    /// all normal samples, to show which corruptions the score finds hard.
    static func aucByCorruption(_ values: [Double], data: Dataset) -> ReportDocument.Output? {
        let kinds = Set(data.samples.compactMap { $0.isAnomaly ? $0.transform : nil })
        guard kinds.count > 1 else { return nil }
        let normal = data.samples.indices.filter { !data.samples[$0].isAnomaly }
        let rows = kinds.sorted().compactMap { kind -> [String]? in
            let chosen = data.samples.indices.filter { data.samples[$0].isAnomaly && data.samples[$0].transform == kind }
            let indices = normal + chosen
            guard let auc = try? ROCCurve(scores: indices.map { values[$0] }, anomalies: indices.map { data.samples[$0].isAnomaly }).auc else { return nil }
            return [kind, String(chosen.count), Self.format(auc)]
        }
        return .table(header: ["corruption", "samples", "ROC AUC against the normal samples"], rows: rows)
    }

    /// The scores of `method` on `data`: the method's implementation, given what the step names
    /// (the model, the data to fit on, other models by name) and the step's seed.
    private func computeScores(method: ScoreMethod, on data: Dataset, _ r: StepReader) throws -> ScoredSamples {
        do {
            // --quick keeps draws of z and the forest small, as it keeps epochs few.
            let caps = options.quick ? ["samples": RunOptions.quickDraws, "trees": RunOptions.quickTrees] : [:]
            let scorer = method.scorer(ScoreSettings(step: r.step, caps: caps))
            var input = ScoreInput(samples: [], count: data.count, sampleSize: data.sampleSize, seed: stepSeed(r)) { [workspace] name in
                try workspace.model(name, for: data, line: r.line).model
            }
            var fit: Dataset?
            if method.isBaseline {
                fit = try workspace.dataset(try r.string("fit"), line: r.line).filtered { !$0.isAnomaly }
                if let fit, fit.sampleSize != data.sampleSize {
                    throw r.fail("the baseline is fitted on '\(fit.name)', whose samples have \(fit.sampleSize) values, but '\(data.name)' has \(data.sampleSize); fit and score data of the same kind", key: "fit")
                }
            } else {
                let trained = try workspace.model(try r.string("model"), for: data, line: r.line)
                input.model = trained.model
                for key in method.modelKeys where key != "model" { _ = try workspace.model(try r.string(key), for: data, line: r.line) }
                if method.readsFit {
                    let fitName = r.optionalString("fit") ?? trained.trainedOn
                    fit = try (workspace.datasets[fitName] ?? workspace.dataset(fitName, line: r.line)).filtered { !$0.isAnomaly }
                    if let fit { _ = try workspace.model(try r.string("model"), for: fit, line: r.line) }
                }
            }
            if let fit, let limit = method.maximumFeatures, fit.sampleSize > limit {
                throw r.fail("\(method.rawValue) fits a \(fit.sampleSize)×\(fit.sampleSize) covariance; it takes at most \(limit) features (use gaussian, kde or isolation-forest on data this wide)", key: "method")
            }
            input.fit = fit?.matrix()
            input.fitCount = fit?.count ?? 0
            input.samples = data.matrix()
            return try scorer.scores(input)
        } catch let error as DetectionError {
            throw r.fail(error.description, key: "method")
        }
    }

    private func resolveThreshold(_ rule: LabValue, method: ScoreMethod, scores: [Double], _ r: StepReader) throws -> Double {
        do {
            if let value = rule["value"]?.number { return value }
            if let top = rule["top"]?.number { return try ThresholdRule.top(top).threshold(reference: scores) }
            if let k = rule["sigma"]?.number {
                // As documented: without 'on', the data the model was trained on or the baseline fitted on.
                let trainedOn = method.isBaseline
                    ? r.optionalString("fit") : try r.optionalString("model").map { try workspace.model($0, line: r.line).trainedOn }
                guard let on = rule["on"]?.string ?? trainedOn else { throw r.fail("the sigma rule needs 'on': the normal data whose scores set mean and std") }
                let reference = try workspace.dataset(on, line: r.line).filtered { !$0.isAnomaly }
                return try ThresholdRule.sigma(k).threshold(reference: try computeScores(method: method, on: reference, r).values)
            }
            if let validationName = rule["f1_optimal"]?.string {
                let validation = try workspace.dataset(validationName, line: r.line)
                return try ThresholdRule.f1Optimal.threshold(reference: try computeScores(method: method, on: validation, r).values, anomalies: validation.samples.map(\.isAnomaly))
            }
        } catch let error as DetectionError {
            throw r.fail(error.description)
        }
        throw r.fail("the threshold needs one of value, sigma, f1_optimal, top")
    }
}
