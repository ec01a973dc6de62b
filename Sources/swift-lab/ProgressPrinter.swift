import Datasets
import Foundation
import Runner

/// Shows a run's progress on stderr: on a terminal, one line per step and a redrawn bar while
/// training (epoch, batch, loss, time left); otherwise, as in CI logs, one plain line per step and
/// per epoch.
final class ProgressPrinter {
    private let isTerminal: Bool
    private var epochStarted = Date()
    private var lastDraw = Date.distantPast
    private var barShown = false

    init(isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    func handle(_ event: RunEvent) {
        switch event {
        case .step(let number, let count, let kind, let title, let line):
            write("[\(number)/\(count)] \(kind) \(title) (line \(line))")
        case .batch(let epoch, let epochs, let batch, let batches, let loss):
            guard isTerminal else { return }
            if batch == 1 { epochStarted = Date() }
            let now = Date()
            guard batch == batches || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            let perBatch = now.timeIntervalSince(epochStarted) / Double(batch)
            let left = perBatch * Double(batches - batch + (epochs - epoch) * batches)
            let width = 24, filled = width * batch / max(batches, 1)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let text = String(format: "  epoch %d/%d [%@] %d/%d loss %.4f ETA %@", epoch, epochs, bar, batch, batches, loss, Self.clock(left))
            FileHandle.standardError.write(Data(("\r" + text + "\u{1B}[K").utf8))
            barShown = true
        case .epoch(let line), .note(let line):
            write(line)
        }
    }

    /// `line` quotes the lab (step titles, names, values): escaped, so only the bar's own
    /// escapes reach the terminal.
    private func write(_ line: String) {
        let prefix = barShown ? "\r\u{1B}[K" : ""
        barShown = false
        FileHandle.standardError.write(Data((prefix + TerminalText.escaped(line) + "\n").utf8))
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
