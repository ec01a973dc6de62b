import Foundation

/// Facts about the machine a lab ran on, for the run section and the results JSON.
enum Machine {
    /// The CPU's model name as Linux reports it, or "unknown".
    static let cpuModel: String = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }()
}
