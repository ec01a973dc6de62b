import Foundation
import Grading
import Runner

/// `grade --rerun`: a submission is the student's lab and the report it made, side by side with
/// one name (`alice/lab.md` and `alice/lab.html`); the lab is run again with the seed, mode and
/// parameters the report records, without the cache, and the numbers compared (`RerunCheck`).
enum SubmissionRerun {
    static func verdict(reportPath: String) -> RerunCheck.Verdict {
        let lab = URL(fileURLWithPath: reportPath).deletingPathExtension().appendingPathExtension("md").path
        guard FileManager.default.fileExists(atPath: lab) else {
            return .init(matches: false, text: "not re-run: the lab is not beside the report (\(lab))")
        }
        do {
            let submitted = try ReportReader.read(path: reportPath)
            let options = RunOptions(quick: submitted.quick, seed: submitted.seed,
                                     overrides: submitted.parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, cacheDirectory: nil)
            let outcome = try LabRunner.run(file: lab, options: options)
            return RerunCheck.verdict(submitted: submitted, rerun: try ReportReader.read(resultsJSON: outcome.json, path: lab))
        } catch let error as LabRunError {
            return .init(matches: false, text: "not re-run: the lab does not check: \(error.diagnostics.first ?? "")")
        } catch let error as UnreadableReport {
            return .init(matches: false, text: "not re-run: \(error.reason)")
        } catch {
            return .init(matches: false, text: "not re-run: \(error)")
        }
    }
}
