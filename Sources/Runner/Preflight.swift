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
    public static func diagnostics(for lab: Lab, modelBudget: Int? = nil) -> [Diagnostic] {
        let modelBudget = modelBudget ?? ModelBudget.limit()
        var shapes: [String: [Int]] = [:]
        var diagnostics: [Diagnostic] = []
        for step in lab.steps {
            switch step.kind {
            case .load:
                guard let name = step.name, let dataset = step["dataset"]?.string else { continue }
                if let entry = DatasetCatalog.entry(named: dataset) {
                    shapes[name] = entry.sampleShape
                } else if dataset.hasSuffix(".csv") {
                    // The header alone tells the width; a file that is missing or has no label
                    // column is reported here rather than after the steps before it have run.
                    do {
                        let path = LabRun.labRelative(dataset, lab: lab.path)
                        shapes[name] = [try CSVReader.featureCount(path, labelColumn: step["label"]?.string ?? "label")]
                    } catch {
                        let location = step.body.mapping?.first { $0.key == "dataset" }?.keyLocation ?? step.location
                        diagnostics.append(Diagnostic(file: lab.path, location: location, message: "\(error)"))
                    }
                }
            case .split:
                // Every form keeps its input's sample shape: transforms map an image to an image.
                let input = step["data"]?.string ?? step["normal"]?.string
                guard let input, let shape = shapes[input] else { continue }
                if let name = step.name { shapes[name] = shape }
                for part in step["parts"]?.mapping ?? [] { shapes[part.key] = shape }
            case .train:
                guard let data = step["data"]?.string, let shape = shapes[data] else { continue }
                if let problem = trainProblem(step, inputShape: shape, budget: modelBudget) {
                    diagnostics.append(Diagnostic(file: lab.path, location: problem.location, message: problem.message))
                }
            case .score, .plot, .challenge:
                continue
            }
        }
        return diagnostics
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
        return step.body.mapping?.first { $0.key == key }?.keyLocation ?? step.location
    }
}
