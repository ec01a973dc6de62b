import LabDocument
import Report

/// `todo`: a part of a handout the student has not written yet. The run stops here, saying what
/// is to complete, as it would at a failing step; the steps after it are not run.
extension LabRun {
    func todo(_ r: StepReader) throws -> [ReportDocument.Output] {
        throw StepFailure("to complete: \(try r.string("task"))", line: r.line)
    }
}
