import Datasets
import Foundation
import Runner

/// Shows a run's progress on stderr: on a terminal, one line per step and a redrawn bar while
/// training (step, challenge variant, epoch, batch, loss, rate, training time left), every line cut to the terminal's width so
/// that nothing wraps; otherwise, as in CI logs, one plain line per step and per epoch, in full.
final class ProgressPrinter {
    private let isTerminal: Bool
    private let columns: () -> Int
    private var step = (number: 0, count: 0)
    private var variant = (number: 0, count: 0)
    private var epochStarted = Date()
    private var lastDraw = Date.distantPast
    private var barShown = false

    init(isTerminal: Bool = isatty(STDERR_FILENO) == 1, columns: @escaping () -> Int = ProgressPrinter.terminalColumns) {
        self.isTerminal = isTerminal
        self.columns = columns
    }

    func handle(_ event: RunEvent) {
        switch event {
        case .step(let number, let count, let kind, let title, let line):
            step = (number, count)
            variant = (0, 0)
            write("[\(number)/\(count)] \(kind) \(title) (line \(line))")
        case .variant(let number, let count, let parameter, let value):
            variant = (number, count)
            write("  variant \(number)/\(count): \(parameter) = \(value)")
        case .batch(let epoch, let epochs, let batch, let batches, let loss):
            guard isTerminal else { return }
            if batch == 1 { epochStarted = Date() }
            let now = Date()
            guard batch == batches || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            let elapsed = now.timeIntervalSince(epochStarted), perBatch = elapsed / Double(batch)
            let left = perBatch * Double(batches - batch + (epochs - epoch) * batches)
            let line = Self.bar(step: step, variant: variant, epoch: epoch, epochs: epochs, batch: batch, batches: batches, loss: loss,
                                batchesPerSecond: elapsed > 0 ? Double(batch) / elapsed : nil, secondsLeft: left, width: columns() - 1)
            FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
            barShown = true
        case .epoch(let line), .note(let line):
            write(line)
        }
    }

    /// The training line, as much of it as fits in `width` columns: the bar narrows first, then
    /// the rate, the bar and the batch count go, then the variant, and what still does not fit
    /// is cut. The time left is the training's (every epoch of this step), and says so.
    static func bar(step: (number: Int, count: Int), variant: (number: Int, count: Int) = (0, 0), epoch: Int, epochs: Int,
                    batch: Int, batches: Int, loss: Double, batchesPerSecond: Double?, secondsLeft: Double, width: Int) -> String {
        func bar(_ cells: Int) -> String {
            let filled = cells * batch / max(batches, 1)
            return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled) + "]"
        }
        let stepText = step.count > 0 ? "step \(step.number)/\(step.count) " : ""
        let position = stepText + (variant.count > 0 ? "variant \(variant.number)/\(variant.count) " : "")
        let epochText = "epoch \(epoch)/\(epochs)", counts = "\(batch)/\(batches)"
        let lossText = String(format: "loss %.4f", loss), eta = "training ETA \(clock(secondsLeft))"
        let rate = batchesPerSecond.map { String(format: "%.0f batch/s", $0) }
        let layouts: [[String?]] = [24, 16, 8].map { [position + epochText, bar($0), counts, lossText, rate, eta] }
            + [[position + epochText, counts, lossText, eta], [position + epochText, lossText, eta],
               [stepText + epochText, lossText, eta], [epochText, lossText, eta]]
        for layout in layouts {
            let text = "  " + layout.compactMap { $0 }.joined(separator: " ")
            if columns(of: text) <= width { return text }
        }
        return fitted("  " + epochText + " " + lossText, width: width)
    }

    /// `line` quotes the lab (step titles, names, values): escaped, so only the bar's own
    /// escapes reach the terminal, and cut to the terminal's width there.
    private func write(_ line: String) {
        let prefix = barShown ? "\r\u{1B}[K" : ""
        barShown = false
        let text = TerminalText.escaped(line)
        FileHandle.standardError.write(Data((prefix + (isTerminal ? Self.fitted(text, width: columns() - 1) : text) + "\n").utf8))
    }

    /// `text` cut to `width` terminal columns, the cut shown by "…". Tabs become spaces (a tab
    /// jumps to a column the cut cannot know); wide characters count two columns, marks none.
    static func fitted(_ text: String, width: Int) -> String {
        guard width > 1 else { return "" }
        let text = text.replacingOccurrences(of: "\t", with: " ")
        guard columns(of: text) > width else { return text }
        var kept = "", used = 0
        for character in text {
            let needed = columns(of: String(character))
            guard used + needed <= width - 1 else { break }
            kept.append(character)
            used += needed
        }
        return kept + "…"
    }

    /// Terminal columns `text` takes, as terminals draw it: East Asian wide and full-width
    /// characters and emoji take two, combining marks and zero-width characters none.
    static func columns(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            let value = scalar.value
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: return total
            default: break
            }
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
                || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value) || (0x20000...0x3FFFD).contains(value)
            return total + (wide ? 2 : 1)
        }
    }

    /// The terminal's width in columns (80 when it cannot be told).
    static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    static func clock(_ seconds: Double) -> String {
        // Beyond a few months an estimate says nothing (and Int(1e300) would trap).
        guard seconds.isFinite, seconds >= 0, seconds < 1e7 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
