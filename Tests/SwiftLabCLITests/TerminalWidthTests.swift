import Foundation
import XCTest

/// On a terminal of 50 or 120 columns, no line `run` draws is wider than the terminal: the
/// training bar gives up its parts as it must, and long step titles are cut with "…".
final class TerminalWidthTests: XCTestCase {
    func testNoLineWrapsAt50Or120Columns() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-width")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = (0..<400).map { "\($0 % 7),\($0 % 3),\(["a", "b"][$0 % 2])" }.joined(separator: "\n")
        try "x,y,label\n\(rows)\n".write(to: directory.appendingPathComponent("rows.csv"), atomically: false, encoding: .utf8)
        let lab = directory.appendingPathComponent("width.md")
        try """
        ---
        params: { units: 2 }
        ---
        # Width

        ```swift-lab load
        dataset: rows.csv
        as: \(String(repeating: "a_very_long_dataset_name_", count: 6))rows
        ```

        ```swift-lab challenge
        prompt: Only a title this wide.
        title: "漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字\\ttab\\ttab"
        ```

        ```swift-lab train
        model: autoencoder
        data: \(String(repeating: "a_very_long_dataset_name_", count: 6))rows
        encoder: [dense ${units} relu]
        latent: ${units}
        decoder: [dense 2 sigmoid]
        batch: 4
        epochs: 3
        as: m
        ```

        ```swift-lab split
        data: \(String(repeating: "a_very_long_dataset_name_", count: 6))rows
        holdout: [b]
        as: marked
        ```

        ```swift-lab score
        method: reconstruction-error
        model: m
        data: marked
        as: errors
        ```

        ```swift-lab challenge
        title: Units
        prompt: More units?
        vary: { units: [2, 3] }
        measure: errors.auc
        ```
        """.write(to: lab, atomically: false, encoding: .utf8)

        for columns in [50, 120] {
            let output = try runOnTerminal(swiftLab, ["run", "--no-cache", "--out", directory.path, lab.path], columns: columns)
            XCTAssertTrue(output.contains("epoch 3/3"), "the bar was drawn: \(output.suffix(300))")
            if columns == 120 {
                XCTAssertTrue(output.contains("step 6/6 variant 2/2 epoch "), "the overall position on the bar: \(output.suffix(600))")
                XCTAssertTrue(output.contains(" batch/s training ETA "), "the rate and a labelled time left: \(output.suffix(600))")
            }
            XCTAssertTrue(output.contains("variant 2/2"), "each challenge variant's position: \(output.suffix(300))")
            XCTAssertTrue(output.contains("units = 3: errors.auc "), "each variant's measured value: \(output.suffix(300))")
            XCTAssertTrue(output.contains("…"), "the long step line was cut")
            // Each redraw starts with \r; what is drawn between two line starts must fit.
            let visible = output.replacingOccurrences(of: "\u{1B}[K", with: "")
            for line in visible.components(separatedBy: CharacterSet(charactersIn: "\r\n")) {
                XCTAssertFalse(line.contains("\t"), "a tab jumps to a column nobody counted")
                // CJK ideographs take two columns.
                let width = line.unicodeScalars.reduce(0) { $0 + ((0x4E00...0x9FFF).contains($1.value) ? 2 : 1) }
                XCTAssertLessThan(width, columns, "\(columns) columns: '\(line)'")
            }
        }
    }

    /// Runs swift-lab with stderr on a pseudo-terminal of `columns` columns; returns what it drew.
    private func runOnTerminal(_ swiftLab: SwiftLabProcess, _ arguments: [String], columns: Int) throws -> String {
        var primary: Int32 = -1, secondary: Int32 = -1
        var size = winsize(ws_row: 40, ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&primary, &secondary, nil, nil, &size) == 0 else { throw XCTSkip("no pseudo-terminal here") }
        defer { close(primary) }
        let process = Process()
        process.executableURL = swiftLab.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(fileDescriptor: secondary, closeOnDealloc: false)
        try process.run()
        close(secondary)
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(primary, &buffer, buffer.count)
            if count <= 0 { break }  // EIO once the child has closed its side
            output.append(contentsOf: buffer[0..<count])
        }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, String(decoding: output, as: UTF8.self))
        return String(decoding: output, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }
}
