import Foundation
import XCTest
@testable import Grading

final class ClassTableTests: TemporaryDirectoryTestCase {
    /// 50 submissions: every 5th changes a parameter, every 7th moves the AUC beyond tolerance,
    /// every 11th is truncated, the rest equal the reference.
    func testABatchOfFiftySubmissionsGetsOneCorrectRowEach() throws {
        let reference = try ReportReader.read(path: try ReportFixture().write(to: directory.appendingPathComponent("reference.html")))
        var paths: [String] = []
        for i in 0..<50 {
            var fixture = ReportFixture()
            if i % 5 == 0 { fixture.parameters["angle"] = "45" }
            if i % 7 == 0 { fixture.auc = 0.80 }
            let url = directory.appendingPathComponent(String(format: "student-%02d.html", i))
            try fixture.write(to: url)
            if i % 11 == 0 && i > 0 { try Data(fixture.html.utf8.prefix(120)).write(to: url) }
            paths.append(url.path)
        }
        let table = ClassTable(reference: reference, submissions: paths, tolerance: .defaults)
        XCTAssertEqual(table.rows.count, 50)
        for (i, row) in table.rows.enumerated() {
            if i % 11 == 0 && i > 0 {
                XCTAssertNil(row.sameLab, "row \(i)")
                XCTAssertEqual(row.problem, "the file is truncated: its embedded results are missing")
                continue
            }
            XCTAssertEqual(row.sameLab, true)
            XCTAssertEqual(row.parametersChanged, i % 5 == 0 ? ["angle=45 (was 90)"] : [], "row \(i)")
            XCTAssertEqual(row.metricsOutside, i % 7 == 0 ? ["score rotation_error auc"] : [], "row \(i)")
            XCTAssertEqual(row.equal, i % 5 != 0 && i % 7 != 0, "row \(i)")
            XCTAssertEqual(row.challengesPassed, 1)
            XCTAssertEqual(row.challengesTotal, 2)
        }
        let markdown = table.markdown().split(separator: "\n")
        XCTAssertEqual(markdown.count, 52)
        XCTAssertEqual(String(markdown[0]), "| file | lab | parameters changed | metrics outside tolerance | challenges passed | result |")
        XCTAssertEqual(String(markdown[2 + 35]), "| \(paths[35]) | same | angle=45 (was 90) | 1: score rotation_error auc | 1/2 | differs |")
        XCTAssertEqual(String(markdown[2 + 1]), "| \(paths[1]) | same | none | none | 1/2 | equal |")
        XCTAssertEqual(String(markdown[2 + 22]), "| \(paths[22]) | – | – | – | – | unreadable: the file is truncated: its embedded results are missing |")
        XCTAssertFalse(table.allEqual)
    }

    func testFiveHundredSubmissionsFinish() throws {
        let reference = try ReportReader.read(path: try ReportFixture().write(to: directory.appendingPathComponent("reference.html")))
        let good = try ReportFixture().write(to: directory.appendingPathComponent("good.html"))
        let paths = (0..<500).map { $0 % 2 == 0 ? good : directory.appendingPathComponent("missing-\($0).html").path }
        let table = ClassTable(reference: reference, submissions: paths, tolerance: .defaults)
        XCTAssertEqual(table.rows.count, 500)
        XCTAssertEqual(table.rows.filter(\.equal).count, 250)
        XCTAssertEqual(table.rows.filter { $0.problem == "no such file" }.count, 250)
    }

    func testCSVQuotesWhatNeedsQuoting() throws {
        var table = ClassTable(reference: try ReportReader.read(path: try ReportFixture().write(to: directory.appendingPathComponent("r.html"))),
                               submissions: [], tolerance: .defaults)
        table.rows = [ClassTable.Row(file: "a,\"b\".html", sameLab: true, parametersChanged: ["x=1 (was 2)", "y=3 (was 4)"], equal: false)]
        XCTAssertEqual(table.csv(), "file,lab,parameters changed,metrics outside tolerance,challenges passed,result\r\n"
                       + "\"a,\"\"b\"\".html\",same,x=1 (was 2); y=3 (was 4),none,–,differs\r\n")
    }
}

/// Submissions choose their file names and parameter values: the class table shows them, it
/// neither lets them drive the terminal nor lets a spreadsheet evaluate them.
final class ClassTableInjectionTests: TemporaryDirectoryTestCase {
    private func table(_ rows: [ClassTable.Row]) throws -> ClassTable {
        var table = ClassTable(reference: try ReportReader.read(path: try ReportFixture().write(to: directory.appendingPathComponent("r.html"))),
                               submissions: [], tolerance: .defaults)
        table.rows = rows
        return table
    }

    func testCSVCellsCannotBeFormulas() throws {
        let table = try table([
            ClassTable.Row(file: "=HYPERLINK(\"http://x\",\"y\")", sameLab: true, parametersChanged: [], equal: true),
            ClassTable.Row(file: "+1+cmd", sameLab: true, equal: true),
            ClassTable.Row(file: "@SUM(A1)", sameLab: true, equal: true),
            ClassTable.Row(file: "-2+3", sameLab: true, equal: true),
            ClassTable.Row(file: "\tx", sameLab: true, equal: true),
            ClassTable.Row(file: "-0.25", sameLab: true, equal: true),
        ])
        let rows = table.csv().components(separatedBy: "\r\n").dropFirst().map { $0.components(separatedBy: ",none,none").first ?? "" }
        XCTAssertEqual(Array(rows.prefix(6)), ["\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",same", "'+1+cmd,same", "'@SUM(A1),same", "'-2+3,same", "'\tx,same",
                                               "-0.25,same"], "a number stays a number")
    }

    func testCSVAndMarkdownShowControlCharacters() throws {
        let table = try table([ClassTable.Row(file: "a\u{1B}]0;pwned\u{07}.html", sameLab: true, parametersChanged: ["x=\u{1B}[2J (was 1)"], equal: false)])
        for text in [table.csv(), table.markdown()] {
            XCTAssertFalse(text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, text)
            XCTAssertTrue(text.contains("a\\e]0;pwned\\u{7}.html"), text)
            XCTAssertTrue(text.contains("x=\\e[2J (was 1)"), text)
        }
    }
}
