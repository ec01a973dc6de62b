import Foundation

/// One problem found in a lab file, printed the way compilers do so editors can jump to it.
///
/// ```swift
/// let d = Diagnostic(file: "Labs/x.md", location: .init(line: 12, column: 5),
///                    message: "unknown key 'epoch'; did you mean 'epochs'?")
/// print(d)   // Labs/x.md:12:5: error: unknown key 'epoch'; did you mean 'epochs'?
/// ```
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Encodable {
    public enum Severity: String, Sendable, Encodable {
        case error, warning
        /// A part of a handout the student still has to write (a `todo` step): not a problem.
        case toComplete = "to complete"
    }

    public var file: String
    /// Nil when the problem concerns the whole file (unreadable, empty, not text).
    public var location: SourceLocation?
    public var severity: Severity
    public var message: String

    public init(file: String, location: SourceLocation?, severity: Severity = .error, message: String) {
        self.file = file
        self.location = location
        self.severity = severity
        self.message = message
    }

    public var description: String {
        if let location {
            return "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
        }
        return "\(file): \(severity.rawValue): \(message)"
    }

    enum CodingKeys: String, CodingKey { case file, line, column, severity, message }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encodeIfPresent(location?.line, forKey: .line)
        try container.encodeIfPresent(location?.column, forKey: .column)
        try container.encode(severity, forKey: .severity)
        try container.encode(message, forKey: .message)
    }
}

/// Collects diagnostics for one file while it is parsed and checked.
struct DiagnosticSink {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    mutating func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(file: file, location: location, message: message))
    }

    mutating func toComplete(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .toComplete, message: message))
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
