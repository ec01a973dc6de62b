import Charts
import Datasets
import Detection
import Engine
import Foundation
import LabDocument
import Randomness
import Report

/// `plot`: one chart per step, from the workspace.
extension LabRun {
    func plot(_ r: StepReader) throws -> [ReportDocument.Output] {
        guard let kind = PlotKind(rawValue: try r.string("kind")) else { throw r.fail("unknown plot kind", key: "kind") }
        let title = r.optionalString("title")
        let svg: String
        switch kind {
        case .loss: svg = Self.lossChart(try workspace.model(try r.string("model"), line: r.line), title: title)
        case .samples:
            let trained = try workspace.model(try r.string("model"), line: r.line)
            let shape = trained.model.architecture.inputShape
            guard shape.count == 3 else {
                throw r.fail("samples are drawn as images, but model '\(try r.string("model"))' makes rows of \(trained.model.architecture.inputSize) features", key: "model")
            }
            let count = r.int("count")
            let pixels = trained.model.samplePrior(count: count, rng: &rng)
            svg = Chart.imageGrid(title: title ?? "Samples from the prior N(0, I)", rows: [(0..<count).map { i in GridImage(pixels: Array(pixels[(i * shape.reduce(1, *))..<((i + 1) * shape.reduce(1, *))])) }],
                                  imageWidth: shape[1], imageHeight: shape[0], flowing: true)
        case .latent: svg = try latentChart(r, title: title)
        case .manifold: svg = try manifoldChart(r, title: title)
        case .reconstructions: svg = try reconstructionChart(r, title: title)
        case .examples, .outliers: svg = try exampleChart(r, kind: kind, title: title)
        case .histogram:
            let g = try ScoreGroups(r, workspace)
            svg = Chart.histogram(title: title ?? "Scores of \(g.scores.data)", xLabel: g.label, groups: [g.normal, g.anomalous].filter { !$0.values.isEmpty },
                                  bins: r.int("bins"), density: r.bool("density"), threshold: g.threshold)
        case .kde:
            let g = try ScoreGroups(r, workspace)
            svg = Chart.kde(title: title ?? "Score densities of \(g.scores.data)", xLabel: g.label, groups: [g.normal, g.anomalous].filter { $0.values.count > 1 }, threshold: g.threshold)
        case .errors:
            let g = try ScoreGroups(r, workspace)
            let limit = r.optionalInt("per_group") ?? Int.max
            svg = Chart.scoresByIndex(title: title ?? "Scores by sample", yLabel: g.label, normal: Array(g.normal.values.prefix(limit)),
                                      anomalous: Array(g.anomalous.values.prefix(limit)), threshold: g.threshold)
        case .confusion:
            let g = try ScoreGroups(r, workspace)
            guard let threshold = g.threshold else { throw r.fail("a confusion matrix needs a threshold: give the score step a 'threshold'") }
            let c = try Classification(scores: g.scores.values, anomalies: g.scores.anomalies, threshold: threshold)
            svg = Chart.heatmap(title: title ?? "Confusion matrix at threshold \(Self.format(threshold))", rowTitle: "truth", columnTitle: "decision",
                                rowLabels: ["normal", "anomaly"], columnLabels: ["normal", "anomaly"], values: c.confusionMatrix)
        case .thresholds:
            let g = try ScoreGroups(r, workspace)
            let curve: PrecisionRecallCurve
            do { curve = try PrecisionRecallCurve(scores: g.scores.values, anomalies: g.scores.anomalies) } catch let error as DetectionError { throw r.fail(error.description, key: "scores") }
            // One point per distinct score would be thousands; 400 evenly spaced ranks draw the same curves.
            let n = curve.thresholds.count, shown = n <= 400 ? Array(0..<n) : (0..<400).map { $0 * (n - 1) / 399 }
            let x = shown.map { curve.thresholds[$0] }, precision = shown.map { curve.precision[$0] }, recall = shown.map { curve.recall[$0] }
            let f1 = zip(precision, recall).map { p, r in p + r > 0 ? 2 * p * r / (p + r) : 0 }
            svg = Chart.line(title: title ?? "Precision, recall and F1 by threshold", xLabel: "Threshold (\(g.scores.method))", yLabel: "",
                             series: [Series(name: "precision", x: x, y: precision), Series(name: "recall", x: x, y: recall), Series(name: "F1", x: x, y: f1, dashed: true)])
        case .roc, .pr:
            let names = r.strings("scores")
            let all = try names.map { try workspace.score($0, line: r.line) }
            do {
                if kind == .roc {
                    svg = Chart.roc(title: title ?? "ROC curve", try zip(names, all).map { name, s in
                        let roc = try ROCCurve(scores: s.values, anomalies: s.anomalies)
                        return (name: name, falsePositiveRate: roc.falsePositiveRate, truePositiveRate: roc.truePositiveRate, auc: roc.auc)
                    })
                } else {
                    let curves = try zip(names, all).map { name, s in (name, try PrecisionRecallCurve(scores: s.values, anomalies: s.anomalies)) }
                    svg = Chart.precisionRecall(title: title ?? "Precision-recall curve", prevalence: curves.first?.1.prevalence ?? 0,
                                                curves.map { (name: $0.0, precision: $0.1.precision, recall: $0.1.recall, averagePrecision: $0.1.averagePrecision) })
                }
            } catch let error as DetectionError {
                throw r.fail(error.description)
            }
        }
        return [.chart(svg: svg, caption: nil)]
    }

    static func lossChart(_ trained: Workspace.TrainedModel, title: String?) -> String {
        let epochs = trained.history.map { Double($0.epoch) }
        var series = [Series(name: "loss", x: epochs, y: trained.history.map(\.loss.total))]
        if trained.model.architecture.kind == .vae {
            series.append(Series(name: "reconstruction", x: epochs, y: trained.history.map(\.loss.reconstruction)))
            series.append(Series(name: "KL", x: epochs, y: trained.history.map(\.loss.kl), dashed: true))
        }
        if trained.history.contains(where: { $0.validation != nil }) {
            series.append(Series(name: "validation loss", x: epochs, y: trained.history.map { $0.validation?.total ?? .nan }, dashed: true))
        }
        return Chart.line(title: title ?? "Training loss", xLabel: "Epoch", yLabel: "Loss", series: series, integerX: true)
    }

    /// The samples of a dataset a plot shows: `group`, then `indices` or `select` and `count`.
    private func chosenSamples(_ data: Dataset, _ r: StepReader, scores: Workspace.Scores?) -> [Int] {
        let group = r.choice("group")
        var pool = data.samples.indices.filter { group == "all" || data.samples[$0].isAnomaly == (group == "anomalous") }
        if let indices = r.value("indices")?.list?.compactMap(\.integer) { return indices.filter { data.samples.indices.contains($0) } }
        let count = r.int("count")
        switch r.choice("select") {
        case "first": break
        case "most-normal": if let s = scores { pool.sort { s.values[$0] < s.values[$1] } }
        case "most-anomalous": if let s = scores { pool.sort { s.values[$0] > s.values[$1] } }
        default: rng.shuffle(&pool)
        }
        return Array(pool.prefix(count))
    }

    private func reconstructionChart(_ r: StepReader, title: String?) throws -> String {
        let data = try workspace.dataset(try r.string("data"), line: r.line)
        let trained = try workspace.model(try r.string("model"), for: data, line: r.line)
        let scoreName = r.strings("scores").first
        let scores = try scoreName.map { try workspace.score($0, on: data, line: r.line) }
        let chosen = chosenSamples(data, r, scores: scores)
        guard !chosen.isEmpty else { throw r.fail("no samples to show") }
        let x = chosen.flatMap { data.values(of: $0) }
        let reconstruction = x.withUnsafeBufferPointer { trained.model.reconstruct($0.baseAddress!, count: chosen.count) }
        let d = data.sampleSize
        var originals: [GridImage] = [], rebuilt: [GridImage] = []
        for (k, i) in chosen.enumerated() {
            let original = Array(x[(k * d)..<((k + 1) * d)]), copy = Array(reconstruction[(k * d)..<((k + 1) * d)])
            let caption: String
            if let scores { caption = Self.format(scores.values[i]) } else {
                // The mean squared error per pixel: what `reconstruction-error` scores by default,
                // so that a caption compares with the lab's thresholds.
                var error = 0.0
                for (a, b) in zip(original, copy) { error += Double((a - b) * (a - b)) }
                caption = "MSE " + Self.format(error / Double(max(d, 1)))
            }
            let flag = data.samples[i].isAnomaly ? "anomaly" : "normal"
            originals.append(GridImage(pixels: original, caption: "#\(i) \(flag)"))
            rebuilt.append(GridImage(pixels: copy, caption: caption))
        }
        return Chart.imageGrid(title: title ?? "Originals and their reconstructions", rows: [originals, rebuilt],
                               imageWidth: data.shape.count > 1 ? data.shape[1] : d, imageHeight: data.shape.count > 1 ? data.shape[0] : 1,
                               rowLabels: ["original", scores == nil ? "reconstruction" : "reconstruction, with \(scoreName ?? "the score")"], scale: 2.4)
    }

    private func exampleChart(_ r: StepReader, kind: PlotKind, title: String?) throws -> String {
        let named = kind == .outliers ? try workspace.score(r.strings("scores").first ?? "", line: r.line) : nil
        let data = try workspace.dataset(r.optionalString("data") ?? named?.data ?? "", line: r.line)
        let scores = try named.map { _ in try workspace.score(r.strings("scores").first ?? "", on: data, line: r.line) }
        var chosen: [Int]
        if let scores {
            chosen = data.samples.indices.sorted { scores.values[$0] > scores.values[$1] }
            chosen = Array(chosen.prefix(r.int("count")))
        } else {
            chosen = chosenSamples(data, r, scores: nil)
        }
        let images = chosen.map { i -> GridImage in
            let s = data.samples[i]
            let name = s.label < data.classNames.count ? data.classNames[s.label] : String(s.label)
            let caption = scores.map { Self.format($0.values[i]) } ?? (s.transform ?? name)
            return GridImage(pixels: Array(data.values(of: i)), caption: String(caption.prefix(40)))
        }
        let defaultTitle = kind == .outliers ? "The \(chosen.count) highest scores (\(data.count) samples)" : "Examples from \(data.name)"
        return Chart.imageGrid(title: title ?? defaultTitle, rows: [images], imageWidth: data.shape.count > 1 ? data.shape[1] : data.sampleSize,
                               imageHeight: data.shape.count > 1 ? data.shape[0] : 1, scale: 2, flowing: true)
    }

    private func latentChart(_ r: StepReader, title: String?) throws -> String {
        let data = try workspace.dataset(try r.string("data"), line: r.line)
        let trained = try workspace.model(try r.string("model"), for: data, line: r.line)
        let latent = trained.model.architecture.latent
        // The chart draws at most maximumScatterPoints points, so only those are encoded (and
        // the projection fitted on them): every k-th sample, as the chart would thin them.
        let every = max(1, (data.count + Chart.maximumScatterPoints - 1) / Chart.maximumScatterPoints)
        let shown = Array(stride(from: 0, to: data.count, by: every))
        let x = every == 1 ? data.matrix() : shown.flatMap { data.values(of: $0) }
        let codes = x.withUnsafeBufferPointer { trained.model.encode($0.baseAddress!, count: shown.count) }
        let (xy, explained) = Projection.principalComponents(codes, count: shown.count, d: latent)
        let projected = latent > 2
        var notes: [String] = []
        if projected { notes.append("\(latent)-D latent projected on its first two principal components (\(Int((explained.0 + explained.1) * 100)) % of variance)") }
        if every > 1 { notes.append("\(shown.count) of \(data.count) samples (every \(every)th)") }
        let note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        let color = r.choice("color")
        let points: [ScatterPoint]
        var groups: [String] = []
        var valueName: String?
        switch color {
        case "score":
            let scores = try workspace.score(r.strings("scores").first ?? "", on: data, line: r.line)
            points = xy.enumerated().map { ScatterPoint(x: $0.element.0, y: $0.element.1, value: scores.values[shown[$0.offset]]) }
            valueName = "score"
        case "anomaly":
            groups = ["normal", "anomalous"]
            points = xy.enumerated().map { ScatterPoint(x: $0.element.0, y: $0.element.1, group: data.samples[shown[$0.offset]].isAnomaly ? 1 : 0) }
        default:
            let labels = Array(Set(data.samples.filter { !$0.isAnomaly }.map(\.label))).sorted()
            groups = labels.map { $0 < data.classNames.count ? data.classNames[$0] : String($0) }
            points = xy.enumerated().map { i, p in
                let s = data.samples[shown[i]]
                return ScatterPoint(x: p.0, y: p.1, group: labels.firstIndex(of: s.label) ?? 0, highlighted: s.isAnomaly)
            }
        }
        return Chart.scatter(title: title ?? "Encoded \(data.name)", xLabel: projected ? "PC 1" : "z[0]", yLabel: projected ? "PC 2" : "z[1]",
                             points: points, groups: groups, highlightName: "anomaly", valueName: valueName, note: note)
    }

    private func manifoldChart(_ r: StepReader, title: String?) throws -> String {
        let trained = try workspace.model(try r.string("model"), line: r.line)
        let model = trained.model, latent = model.architecture.latent
        let n = r.int("grid"), span = r.number("span")
        var center = [Double](repeating: 0, count: latent), scale = [Double](repeating: 1, count: latent)
        if r.choice("center") == "data" {
            let data = try workspace.dataset(try r.string("data"), line: r.line)
            _ = try workspace.model(try r.string("model"), for: data, line: r.line)
            let codes = data.matrix().withUnsafeBufferPointer { model.encode($0.baseAddress!, count: data.count) }
            for j in 0..<latent {
                let v = stride(from: j, to: codes.count, by: latent).map { Double(codes[$0]) }
                center[j] = v.reduce(0, +) / Double(v.count)
                scale[j] = (v.map { ($0 - center[j]) * ($0 - center[j]) }.reduce(0, +) / Double(v.count)).squareRoot()
            }
        }
        let shape = model.architecture.inputShape, d = model.architecture.inputSize
        // Two dimensions vary, the others stay at the centre: one slice per pair (at most 3).
        let pairs: [(Int, Int)] = latent < 2 ? [(0, 0)] : latent == 2 ? [(0, 1)] : [(0, 1), (1, 2), (0, 2)]
        var rowsOut: [[GridImage]] = [], labels: [String] = []
        for (a, b) in pairs {
            var codes: [Float] = []
            for i in 0..<n {
                for j in 0..<n {
                    var z = center
                    let t = n > 1 ? -span + 2 * span * Double(j) / Double(n - 1) : 0
                    let u = n > 1 ? span - 2 * span * Double(i) / Double(n - 1) : 0
                    z[a] = center[a] + t * scale[a]
                    if b != a { z[b] = center[b] + u * scale[b] }
                    codes += z.map(Float.init)
                }
            }
            let images = codes.withUnsafeBufferPointer { model.decode($0.baseAddress!, count: n * n) }
            for i in 0..<n {
                rowsOut.append((0..<n).map { j in GridImage(pixels: Array(images[((i * n + j) * d)..<((i * n + j + 1) * d)])) })
                labels.append(i == 0 && pairs.count > 1 ? "z[\(a)], z[\(b)]" : "")
            }
        }
        return Chart.imageGrid(title: title ?? "Decoded latent grid (\(n)×\(n)\(pairs.count > 1 ? ", one slice per pair of dimensions" : ""))",
                               rows: rowsOut, imageWidth: shape.count > 1 ? shape[1] : d, imageHeight: shape.count > 1 ? shape[0] : 1,
                               rowLabels: pairs.count > 1 ? labels : [], scale: 1)
    }
}

/// The first `scores` of a plot step split into normal and anomalous values, with the threshold
/// to draw (the step's own, else the score's).
private struct ScoreGroups {
    let scores: Workspace.Scores
    let threshold: Double?
    let normal: ValueGroup
    let anomalous: ValueGroup
    var label: String { "Score (\(scores.method))" }

    init(_ r: StepReader, _ workspace: Workspace) throws {
        scores = try workspace.score(r.strings("scores").first ?? "", line: r.line)
        threshold = r.optionalNumber("threshold") ?? scores.threshold
        normal = ValueGroup(name: "normal", values: zip(scores.values, scores.anomalies).filter { !$0.1 }.map(\.0), color: Palette.normal)
        anomalous = ValueGroup(name: "anomalous", values: zip(scores.values, scores.anomalies).filter(\.1).map(\.0), color: Palette.anomalous)
    }
}
