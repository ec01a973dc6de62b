import ArgumentParser
import LabDocument

/// `swift-lab schema --markdown`: prints the lab format's key reference.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the reference of every step and key the lab format accepts.")

    @Flag(help: "Print Markdown (the reference section of docs/lab-format.md).")
    var markdown = false

    func run() throws {
        print(SchemaReference.markdown(), terminator: "")
    }
}
