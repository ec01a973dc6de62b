import Datasets
import Engine
import LabDocument

/// What `check` can prove about a lab's models without loading data or training: each `train`
/// step's architecture is built symbolically on its data's sample shape (known for registered
/// datasets, read from a CSV file's header, and carried through `split` steps), so a decoder that does not give back the input,
/// an encoder that does not match the latent size, a loss that does not fit the output and a
/// model over the memory budget are reported at the step's keys. `run` checks the same first.
///
/// ```swift
/// let parsed = LabParser.parse(file: "Labs/004-conv-autoencoder-sevens.md")
/// let problems = Preflight.diagnostics(for: parsed.lab!)   // [] for a lab that can train
/// ```
public enum Preflight {
    /// `overrides` are the run's `--set` values, on which each challenge variant is checked too.
    public static func diagnostics(for lab: Lab, overrides: [(String, String)] = [], modelBudget: Int? = nil) -> [Diagnostic] {
        let budget = modelBudget ?? ModelBudget.limit()
        var flight = Flight(lab: lab, budget: budget)
        for step in lab.steps { flight.check(step) }
        // A variant repeats the lab's own problems: those come first, alone.
        guard flight.diagnostics.isEmpty else { return flight.diagnostics }
        return ChallengeVariants.preflight(lab, overrides: overrides, budget: budget)
    }

    /// What is known so far, step by step: each dataset's sample shape, each model's input, and
    /// the dataset each score was computed on.
    struct Flight: StepInterpreter {
        typealias Failure = Never
        let lab: Lab
        let budget: Int
        var shapes: [String: [Int]] = [:]
        var models: [String: (shape: [Int], data: String)] = [:]
        var scoredData: [String: String] = [:]
        var diagnostics: [Diagnostic] = []

        init(lab: Lab, budget: Int) {
            self.lab = lab
            self.budget = budget
        }

        mutating func check(_ step: Step) {
            step.kind.interpret(step, with: &self)
        }

        mutating func fail(_ message: String, at key: String, in step: Step) {
            diagnostics.append(Diagnostic(file: lab.path, location: step.location(ofKey: key), message: message))
        }

        mutating func load(_ step: Step) {
            guard let name = step.name, let dataset = step["dataset"]?.string else { return }
            if let entry = DatasetCatalog.entry(named: dataset) {
                shapes[name] = entry.sampleShape
            } else if dataset.hasSuffix(".csv") {
                // The header alone tells the width; a file that is missing or has no label
                // column is reported here rather than after the steps before it have run.
                do {
                    let path = LabRun.labRelative(dataset, lab: lab.path)
                    shapes[name] = [try CSVReader.featureCount(path, labelColumn: step["label"]?.string ?? "label")]
                } catch {
                    fail("\(error)", at: "dataset", in: step)
                }
            }
        }

        mutating func split(_ step: Step) {
            // Every form keeps its input's sample shape: transforms map an image to an image.
            guard let input = step["data"]?.string ?? step["normal"]?.string, let shape = shapes[input] else { return }
            let anomalies = step["anomalies"]
            if let from = anomalies?["from"]?.string, let other = shapes[from], other != shape {
                fail("cannot combine \(input) (samples \(shape)) with \(from) (samples \(other))", at: "anomalies", in: step)
            }
            if shape.count != 3, anomalies?["transform"] != nil || step["contaminate"] != nil {
                fail("\(input) holds rows of \(shape.reduce(1, *)) features, not images; transforms apply to images only",
                     at: step["contaminate"] != nil ? "contaminate" : "anomalies", in: step)
            }
            if let name = step.name { shapes[name] = shape }
            for part in step["parts"]?.mapping ?? [] { shapes[part.key] = shape }
        }

        mutating func train(_ step: Step) {
            guard let data = step["data"]?.string, let shape = shapes[data] else { return }
            if let problem = trainProblem(step, inputShape: shape, budget: budget) {
                diagnostics.append(Diagnostic(file: lab.path, location: problem.location, message: problem.message))
            }
            if let name = step.name { models[name] = (shape, data) }
            if let validation = step["validation"]?.string, let other = shapes[validation], other.reduce(1, *) != shape.reduce(1, *) {
                fail("the validation data '\(validation)' has samples of \(other.reduce(1, *)) values, but the training data '\(data)' has \(shape.reduce(1, *))", at: "validation", in: step)
            }
        }

        mutating func score(_ step: Step) {
            guard let data = step["data"]?.string else { return }
            if let name = step.name { scoredData[name] = data }
            guard let method = step["method"]?.string.flatMap(ScoreMethod.init), let shape = shapes[data] else { return }
            if method.isBaseline {
                if let fit = step["fit"]?.string, let fitted = shapes[fit], fitted.reduce(1, *) != shape.reduce(1, *) {
                    fail("the baseline is fitted on '\(fit)', whose samples have \(fitted.reduce(1, *)) values, but '\(data)' has \(shape.reduce(1, *)); fit and score data of the same kind", at: "fit", in: step)
                }
            } else {
                for key in method.modelKeys { checkModel(step, key: key, reads: data, shape: shape) }
            }
        }

        mutating func plot(_ step: Step) {
            guard let kind = step["kind"]?.string.flatMap(PlotKind.init) else { return }
            if !kind.comparesScores, let names = step["scores"]?.list, names.count > 1 {
                fail("a \(kind.rawValue) plot draws one score, but 'scores' names \(names.count); give one (roc and pr plots compare several)", at: "scores", in: step)
            }
            guard let data = step["data"]?.string else { return }
            if kind.encodesData, let shape = shapes[data] {
                checkModel(step, reads: data, shape: shape)
            }
            guard kind.pairsScoresWithData else { return }
            for name in (step["scores"]?.list ?? step["scores"].map { [$0] } ?? []).compactMap(\.string) {
                if let scored = scoredData[name], scored != data {
                    fail("scores '\(name)' were computed on '\(scored)', not on '\(data)'; give 'data: \(scored)' or score '\(data)'", at: "scores", in: step)
                }
            }
        }

        /// A challenge re-runs steps already checked, with other parameter values (checked
        /// against their declared types by the parser).
        func challenge(_ step: Step) {}

        /// An answer is text: nothing to prove before the run.
        func answer(_ step: Step) {}

        /// A part to complete has no solution yet: the names it stands for have no known shape.
        func todo(_ step: Step) {}

        /// The step's `model` (or the model another key names), if any, must take samples like `data`'s.
        mutating func checkModel(_ step: Step, key: String = "model", reads data: String, shape: [Int]) {
            guard let name = step[key]?.string, let model = models[name], model.shape.reduce(1, *) != shape.reduce(1, *) else { return }
            fail("model '\(name)' takes samples of \(model.shape.map(String.init).joined(separator: "x")) values (it was trained on '\(model.data)'), but '\(data)' has samples of \(shape.map(String.init).joined(separator: "x"))", at: "data", in: step)
        }
    }

    private static func trainProblem(_ step: Step, inputShape: [Int], budget: Int) -> (location: SourceLocation, message: String)? {
        let reader = StepReader(step: step)
        do {
            let architecture = try LabRun.architecture(reader, inputShape: inputShape)
            try ModelBudget.check(try architecture.plan(), batch: reader.int("batch"), limit: budget)
            return nil
        } catch let error as ArchitectureError {
            return (location(of: error.description, in: step), "cannot build the model: \(error)")
        } catch {
            return (step.location, "\(error)")
        }
    }

    /// The key an architecture problem is about, so the caret lands where the fix goes.
    private static func location(of message: String, in step: Step) -> SourceLocation {
        let key: String
        if message.hasPrefix("this model needs") { key = step["batch"] != nil ? "batch" : "decoder" }
        else if message.hasPrefix("the latent size") || message.contains("but the latent size") { key = "latent" }
        else if message.hasPrefix("loss") { key = step["loss"] != nil ? "loss" : "decoder" }
        else if message.hasPrefix("the decoder") { key = "decoder" }
        else { key = "encoder" }
        return step.location(ofKey: key)
    }
}
