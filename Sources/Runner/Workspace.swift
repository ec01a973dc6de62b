import Datasets
import Detection
import Engine
import LabDocument

/// What the steps have made so far, by name.
final class Workspace {
    struct TrainedModel {
        var model: Model
        var history: [EpochRecord]
        var trainedOn: String
        var seconds: Double
    }

    struct Scores {
        var values: [Double]
        var anomalies: [Bool]
        var method: String
        var data: String
        var threshold: Double?
        var metrics: Metrics
    }

    struct Metrics {
        var auc: Double?
        var averagePrecision: Double?
        var prAUC: Double?
        var classification: Classification?

        func value(_ name: String) -> Double? {
            switch name {
            case "auc": return auc
            case "ap": return averagePrecision
            case "pr_auc": return prAUC
            case "f1": return classification?.f1
            case "precision": return classification?.precision
            case "recall": return classification?.recall
            case "accuracy": return classification?.accuracy
            default: return nil
            }
        }
    }

    var datasets: [String: Dataset] = [:]
    var models: [String: TrainedModel] = [:]
    var scores: [String: Scores] = [:]
    /// Results for the embedded JSON, in step order.
    var results: [[String: Any]] = []

    func dataset(_ name: String, line: Int) throws -> Dataset {
        guard let data = datasets[name] else { throw StepFailure("no dataset '\(name)' (its step did not run)", line: line) }
        return data
    }

    /// The model `name`, which must take samples like `data`'s: a model trained on 784 pixels
    /// cannot read rows of 3 features.
    func model(_ name: String, for data: Dataset, line: Int) throws -> TrainedModel {
        let trained = try model(name, line: line)
        let expected = trained.model.architecture.inputShape
        guard data.sampleSize == trained.model.architecture.inputSize else {
            throw StepFailure("model '\(name)' takes samples of \(expected.map(String.init).joined(separator: "x")) values (it was trained on '\(trained.trainedOn)'), but '\(data.name)' has samples of \(data.shape.map(String.init).joined(separator: "x"))", line: line, key: "data")
        }
        return trained
    }

    /// The scores `name`, which must have been computed on `data` itself: scores are matched to
    /// samples by position.
    func score(_ name: String, on data: Dataset, line: Int) throws -> Scores {
        let scores = try score(name, line: line)
        guard scores.data == data.name, scores.values.count == data.count else {
            throw StepFailure("scores '\(name)' were computed on '\(scores.data)' (\(scores.values.count) samples), not on '\(data.name)' (\(data.count) samples); give 'data: \(scores.data)' or score '\(data.name)'", line: line, key: "scores")
        }
        return scores
    }

    func model(_ name: String, line: Int) throws -> TrainedModel {
        guard let model = models[name] else { throw StepFailure("no model '\(name)' (its step did not run)", line: line) }
        return model
    }

    func score(_ name: String, line: Int) throws -> Scores {
        guard let score = scores[name] else { throw StepFailure("no scores '\(name)' (their step did not run)", line: line) }
        return score
    }
}
