import XCTest
@testable import LabDocument

/// The labs in Labs/ are the format's real test: they must check clean and say what they mean.
final class SeedLabTests: XCTestCase {
    private func labPaths() throws -> [String] {
        try LabChecker.labFiles(in: [Repository.labs.path])
    }

    func testEveryLabChecksClean() throws {
        let paths = try labPaths()
        XCTAssertEqual(paths.count, 6, "one lab per seed, and the held-out-digit replication")
        for path in paths {
            let result = LabParser.parse(file: path)
            XCTAssertEqual(result.diagnostics.map(\.description), [], path)
            XCTAssertFalse(result.lab?.steps.isEmpty ?? true, path)
        }
    }

    func testEveryLabTrainsScoresPlotsAndChallenges() throws {
        for path in try labPaths() {
            let kinds = Set(try XCTUnwrap(LabParser.parse(file: path).lab).steps.map(\.kind))
            // Answers and parts to complete are the students': the instructors' labs ask in prose.
            XCTAssertEqual(kinds, Set(StepKind.allCases).subtracting([.answer, .todo]), path)
        }
    }

    func testEveryLabComparesWithAClassicalBaseline() throws {
        for path in try labPaths() {
            let lab = try XCTUnwrap(LabParser.parse(file: path).lab)
            let methods = lab.steps.filter { $0.kind == .score }.compactMap { $0["method"]?.string }
            XCTAssertTrue(methods.contains { LabSchema.baselineScoreMethods.contains($0) }, "\(path): \(methods)")
        }
    }

    func testSeedArchitecturesAreWrittenAsTheSeedsHaveThem() throws {
        func train(_ file: String) throws -> Step {
            let lab = try XCTUnwrap(LabParser.parse(file: Repository.labs.appendingPathComponent(file).path).lab)
            return try XCTUnwrap(lab.steps.first { $0.kind == .train })
        }
        let vae000 = try train("000-vae-reconstruction-probability.md")
        XCTAssertEqual(vae000["model"]?.string, "vae")
        XCTAssertEqual(vae000["encoder"]?.list?.compactMap(\.string), ["dense 400 relu"])
        XCTAssertEqual(vae000["latent"]?.integer, 2)
        XCTAssertEqual(vae000["optimizer"]?.string, "rmsprop")
        XCTAssertEqual(vae000["batch"]?.integer, 100)

        let ae001 = try train("001-autoencoder-rotated-digits.md")
        XCTAssertEqual(ae001["encoder"]?.list?.compactMap(\.string), ["dense 64 relu", "dense 16 relu"])
        XCTAssertEqual(ae001["batch"]?.integer, 256)
        XCTAssertEqual(ae001["epochs"]?.integer, 20)

        let cae004 = try train("004-conv-autoencoder-sevens.md")
        XCTAssertEqual(cae004["encoder"]?.list?.last?.string, "conv 2 7x7 valid")
        XCTAssertEqual(cae004["decoder"]?.list?.first?.string, "reshape 1x1x2")
    }

    func testParametersAreSubstitutedWithTheirTypes() throws {
        let path = Repository.labs.appendingPathComponent("000-vae-reconstruction-probability.md").path
        let lab = try XCTUnwrap(LabParser.parse(file: path, overrides: [("anomalous_digit", "3")]).lab)
        let split = try XCTUnwrap(lab.steps.first { $0.kind == .split })
        let classes = try XCTUnwrap(split["anomalies"]?["classes"]?.list)
        XCTAssertEqual(classes.map(\.kind), [.integer(3)])
        XCTAssertEqual(classes.first?.parameter, "anomalous_digit")
        XCTAssertEqual(lab.parameters.first { $0.name == "anomalous_digit" }?.isOverridden, true)
        XCTAssertEqual(lab.seed, 12)
    }

    func testAThousandStepLabChecksClean() {
        var text = "---\nparams: { epochs: 1 }\n---\n# Big\n\n```swift-lab load\ndataset: mnist\nas: d0\n```\n"
        for i in 1..<1_000 {
            text += "\nStep \(i).\n\n```swift-lab split\ndata: d\(i - 1)\nholdout: [\(i % 10)]\nas: d\(i)\n```\n"
        }
        let result = LabParser.parse(text: text, path: "big.md")
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        XCTAssertEqual(result.lab?.steps.count, 1_000)
    }
}
