import Foundation
import XCTest

/// A lab's challenge variants split over shards and merged give the one-process report, byte for
/// byte above the run section, for every count of shards; partials that do not make one run are
/// refused, one sentence each, and nothing is written.
final class ShardMergeTests: XCTestCase {
    /// Two challenges, five variants: three angles (the model is reused) and two code sizes
    /// (each trains its own model), on the MNIST the tests read, with --quick.
    static let lab = """
        ---
        params: { angle: 90, latent: 4 }
        seed: 3
        ---
        # Shards

        ```swift-lab load
        dataset: mnist
        split: train
        as: train
        ```

        ```swift-lab load
        dataset: mnist
        split: test
        as: test
        ```

        ```swift-lab train
        model: autoencoder
        data: train
        encoder: [dense 16 relu, dense ${latent} relu]
        latent: ${latent}
        decoder: [dense 16 relu, dense 784 sigmoid]
        batch: 128
        epochs: 1
        as: ae
        ```

        ```swift-lab split
        normal: test
        anomalies: { from: test, transform: rotate ${angle} }
        as: mixed
        ```

        ```swift-lab score
        method: reconstruction-error
        model: ae
        data: mixed
        as: errors
        ```

        ```swift-lab challenge
        title: Angles
        prompt: Other angles.
        vary: { angle: [30, 60, 180] }
        measure: errors.auc
        expect: auc >= 0.6
        ```

        ```swift-lab challenge
        title: Codes
        prompt: Other code sizes.
        vary: { latent: [2, 8] }
        measure: errors.ap
        ```

        """

    struct Setup {
        let swiftLab: SwiftLabProcess
        let directory: URL
        let lab: URL
        let cache: String

        /// `run` with the test's cache and --quick.
        func run(_ more: [String], environment: [String: String] = [:]) throws -> SwiftLabProcess.Result {
            try swiftLab.run(["run", lab.path, "--quick", "--cache", cache] + more, environment: environment)
        }

        func merge(_ partials: [String], into out: String) throws -> SwiftLabProcess.Result {
            try swiftLab.run(["merge"] + partials + ["--cache", cache, "--out", directory.appendingPathComponent(out).path])
        }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        func report(in out: String) throws -> String {
            SwiftLabProcess.reportOutsideRunSection(try String(contentsOfFile: path("\(out)/shards.html"), encoding: .utf8))
        }
    }

    private func setUp(_ name: String) throws -> Setup {
        try SwiftLabProcess.requireMNIST()
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory(name)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let lab = directory.appendingPathComponent("shards.md")
        try Self.lab.write(to: lab, atomically: false, encoding: .utf8)
        return Setup(swiftLab: swiftLab, directory: directory, lab: lab, cache: directory.appendingPathComponent("cache").path)
    }

    func testShardedAndMergedEqualsUnshardedForEveryCountOfShards() throws {
        let setup = try setUp("swift-lab-shards")
        let whole = try setup.run(["--out", setup.path("whole")])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let expected = try setup.report(in: "whole")
        XCTAssertTrue(expected.contains("of 3 values of angle pass auc &gt;= 0.6"), "the challenges ran")
        let wholeJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup.path("whole/shards.json")))) as? NSDictionary

        // 1 to the variant count + 1: the last has a shard with no variant at all.
        for count in 1...6 {
            var partials: [String] = []
            for index in 1...count {
                let result = try setup.run(["--shard", "\(index)/\(count)", "--out", setup.path("parts-\(count)")])
                XCTAssertEqual(result.status, 0, result.stderr)
                XCTAssertEqual(result.stdout, setup.path("parts-\(count)/shards.shard-\(index)-of-\(count).json") + "\n")
                partials.append(setup.path("parts-\(count)/shards.shard-\(index)-of-\(count).json"))
            }
            let recorded = try partials.map { path -> Int in
                let partial = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
                return (partial?["variants"] as? [Any])?.count ?? -1
            }
            XCTAssertEqual(recorded.reduce(0, +), 5, "each of the 5 variants in exactly one shard of \(count): \(recorded)")
            // Given in any order.
            let merged = try setup.merge(partials.reversed(), into: "merged-\(count)")
            XCTAssertEqual(merged.status, 0, merged.stderr)
            XCTAssertEqual(try setup.report(in: "merged-\(count)"), expected, "\(count) shards merged")
            let html = try String(contentsOfFile: setup.path("merged-\(count)/shards.html"), encoding: .utf8)
            XCTAssertTrue(html.contains("\(count) \(count == 1 ? "shard" : "shards") (swift-lab run --shard I/\(count))"), "the run section says it was merged")
            // The results agree too, but for what describes the run itself.
            let mergedJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup.path("merged-\(count)/shards.json")))) as? NSDictionary
            XCTAssertEqual(mergedJSON, wholeJSON, "\(count) shards: the results JSON")
        }

        let jobs = try setup.run(["--jobs", "2", "--out", setup.path("jobs")])
        XCTAssertEqual(jobs.status, 0, jobs.stderr)
        XCTAssertEqual(try setup.report(in: "jobs"), expected, "--jobs 2")
        XCTAssertTrue(jobs.stderr.contains("2 worker processes"), jobs.stderr)
    }

    func testPartialsThatDoNotMakeOneRunAreRefusedAndNothingIsWritten() throws {
        let setup = try setUp("swift-lab-bad-partials")
        for index in 1...3 { XCTAssertEqual(try setup.run(["--shard", "\(index)/3", "--out", setup.path("three")]).status, 0) }
        XCTAssertEqual(try setup.run(["--shard", "1/2", "--out", setup.path("two")]).status, 0)
        XCTAssertEqual(try setup.run(["--shard", "2/3", "--seed", "9", "--out", setup.path("seeded")]).status, 0)
        func part(_ index: Int, of count: Int = 3, in folder: String = "three") -> String { setup.path("\(folder)/shards.shard-\(index)-of-\(count).json") }

        let truncated = setup.path("truncated.json")
        let whole = try Data(contentsOf: URL(fileURLWithPath: part(3)))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: truncated))
        let edited = setup.path("edited.json")
        try String(decoding: whole, as: UTF8.self).replacingOccurrences(of: "\"index\" : 2,", with: "\"index\" : 3,")
            .write(toFile: edited, atomically: false, encoding: .utf8)
        // A forged metric: bits and value agree, but no AUC or F1 is 5.
        let forged = setup.path("forged.json")
        let fiveBits = String(Double(5).bitPattern, radix: 16)
        let measured = try NSRegularExpression(pattern: #""measured" : [^,]+,\s*"measured_bits" : "[0-9a-f]+""#)
        let text = String(decoding: whole, as: UTF8.self)
        XCTAssertNotNil(measured.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), "the partial records a measured metric")
        try measured.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                              withTemplate: "\"measured\" : 5, \"measured_bits\" : \"\(fiveBits)\"")
            .write(toFile: forged, atomically: false, encoding: .utf8)
        let cases: [(partials: [String], message: String)] = [
            ([part(1), part(2), forged], "measured 5.0 is not a fraction from 0 to 1"),
            ([part(1), part(2)], "shard 3 of 3 is missing (given: 1, 2)"),
            ([part(1), part(2), part(2), part(3)], "shard 2/3 is given twice"),
            ([part(1), part(3), part(2, in: "seeded")], "--seed is 9 in the first and not given in the second"),
            ([part(1), part(2), part(1, of: 2, in: "two")], "the first is a shard of 2, the second of 3"),
            ([part(1), part(2), truncated], "truncated.json: not valid JSON (the file is damaged or truncated)"),
            ([part(1), part(2), edited], "which is not shard 3/3's"),
            ([part(1), part(2), setup.path("three")], "is a directory"),
            ([part(1), part(2), setup.lab.path], "not valid JSON"),
        ]
        for (partials, message) in cases {
            let result = try setup.merge(partials, into: "merged")
            XCTAssertEqual(result.status, 1, "\(message): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "expected '\(message)', got: \(result.stderr)")
            XCTAssertEqual(result.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count, 1, "one sentence: \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: setup.path("merged")), "nothing written for '\(message)'")
        }

        // The lab edited after the shards ran: its text no longer matches theirs.
        try (Self.lab + "\nA new line of prose.\n").write(to: setup.lab, atomically: false, encoding: .utf8)
        let changed = try setup.merge([part(1), part(2), part(3)], into: "merged")
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stderr.contains("is not the text the shards ran"), changed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: setup.path("merged")))
    }

    func testShardAutoReadsAKubernetesIndexedJobsIndexAndSaysSo() throws {
        let setup = try setUp("swift-lab-indexed-job")
        let second = try setup.run(["--shard", "auto/2", "--out", setup.path("parts")], environment: ["JOB_COMPLETION_INDEX": "1"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("JOB_COMPLETION_INDEX=1, 2 completions → shard 2/2"), second.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: setup.path("parts/shards.shard-2-of-2.json")))
        let beyond = try setup.run(["--shard", "auto/2", "--out", setup.path("beyond")], environment: ["JOB_COMPLETION_INDEX": "2"])
        XCTAssertEqual(beyond.status, 2, "a usage error")
        XCTAssertTrue(beyond.stderr.contains("beyond the 2 completions"), beyond.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: setup.path("beyond")))
        let slurm = try setup.run(["--shard", "auto", "--out", setup.path("slurm")],
                                  environment: ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "7", "SLURM_ARRAY_TASK_MAX": "8"])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        XCTAssertTrue(slurm.stderr.contains("SLURM_ARRAY_TASK_ID=7, SLURM_ARRAY_TASK_MIN=7, SLURM_ARRAY_TASK_MAX=8 → shard 1/2"), slurm.stderr)
    }

    /// Variants that read data files the lab's own steps do not: the merged results list those
    /// files' checksums too, as the one-process run's do.
    func testTheDataFilesOnlyVariantsReadAreInTheMergedResults() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-shard-files")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, shift) in [("a", 3.0), ("b", 2.0), ("c", 1.0)] {
            var rows = ["x,y,label"]
            for i in 0..<24 {
                let anomalous = i % 4 == 0
                rows.append("\(Double(i % 7) / 7 + (anomalous ? shift : 0)),\(Double(i % 5) / 5),\(anomalous ? "b" : "a")")
            }
            try (rows.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("\(name).csv"), atomically: false, encoding: .utf8)
        }
        let lab = directory.appendingPathComponent("files.md")
        try """
        ---
        params: { file: a.csv }
        ---
        # Files

        ```swift-lab load
        dataset: ${file}
        as: rows
        ```

        ```swift-lab split
        data: rows
        holdout: [b]
        as: mixed
        ```

        ```swift-lab score
        method: gaussian
        fit: rows
        data: mixed
        as: s
        ```

        ```swift-lab challenge
        title: Files
        prompt: Other files.
        vary: { file: [b.csv, c.csv] }
        measure: s.auc
        ```

        """.write(to: lab, atomically: false, encoding: .utf8)
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        _ = try swiftLab.succeed(["run", "--no-cache", "--out", path("whole"), lab.path])
        for index in 1...2 { _ = try swiftLab.succeed(["run", "--no-cache", "--shard", "\(index)/2", "--out", path("parts"), lab.path]) }
        _ = try swiftLab.succeed(["merge", "--no-cache", path("parts/files.shard-1-of-2.json"), path("parts/files.shard-2-of-2.json"), "--out", path("merged")])
        func results(_ folder: String) throws -> NSDictionary? {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("\(folder)/files.json")))) as? NSDictionary
        }
        let whole = try results("whole"), merged = try results("merged")
        XCTAssertEqual((whole?["data_sha256"] as? [String: String])?.count, 3, "the lab's file and the two only variants read")
        XCTAssertEqual(merged, whole)
        let report = { (folder: String) in SwiftLabProcess.reportOutsideRunSection(try String(contentsOfFile: path("\(folder)/files.html"), encoding: .utf8)) }
        XCTAssertEqual(try report("merged"), try report("whole"))
    }
}
