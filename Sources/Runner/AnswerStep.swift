import LabDocument
import Report

/// `answer`: a student's written answer to a question, shown as Markdown (cmark, safe mode) and
/// recorded in the results as the question's answer, where `diff` and `grade` list it; it is no
/// number of the run, and the lab's checksum leaves it out.
extension LabRun {
    func answer(_ r: StepReader) throws -> [ReportDocument.Output] {
        let question = try r.string("question")
        let text = r.step["text"]?.string ?? ""
        workspace.results.append(["step": "answer", "question": question, "text": text])
        guard !text.allSatisfy(\.isWhitespace) else { return [.text("To complete: no answer to \(question) yet.")] }
        return [.markdown(text)]
    }
}
