import Datasets
import Foundation
import FuzzTargets

// Mutation fuzzing without libFuzzer: seeds are mutated at random (reproducibly, from --seed) and
// each mutant is given to a reader in a child process, a batch at a time, because a trap ends
// the process that hits it. A child that dies by a signal names the mutant it was reading; that
// mutant is saved, by its SHA-256, to the target's corpus (once per crash site) and reported.
//
//   swift-lab-fuzz [--target lab] [--seconds 60] [--seed N] [--corpus Tests/FuzzCorpus] [SEED_FILE...]
//   swift-lab-fuzz --one TARGET FILE...        reads each file in this process (what a child does)
//   swift-lab-fuzz --libfuzzer TARGET [ARGS]   libFuzzer, in the build scripts/fuzz makes (.build-fuzz)

let usage = "usage: swift-lab-fuzz [--target \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))] [--seconds N] [--seed N] [--corpus DIR] [SEED_FILE...]\n       swift-lab-fuzz --one TARGET FILE...\n       swift-lab-fuzz --libfuzzer TARGET [LIBFUZZER_ARGUMENTS...]"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("swift-lab-fuzz: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
setvbuf(stdout, nil, _IOLBF, 0)   // each report line as it happens, also into a log file

// A child: read each file, saying which one before reading it, so that the parent knows which
// one was being read if this process dies.
if arguments.first == "--one" {
    guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else { fail(usage) }
    for (index, path) in arguments.dropFirst(2).enumerated() {
        FileHandle.standardOutput.write(Data("\(index)\n".utf8))
        guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the file") }
        target.run(Array(data))
    }
    FuzzTarget.removeScratchFiles()
    exit(0)
}

// libFuzzer. Its -fork mode starts this program again with libFuzzer's arguments only, so the
// target goes to those processes in the environment.
if let name = ProcessInfo.processInfo.environment["SWIFT_LAB_FUZZ_TARGET"], arguments.first != "--libfuzzer" {
    arguments = ["--libfuzzer", name] + arguments
}
if arguments.first == "--libfuzzer" {
    guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else { fail(usage) }
    #if LIBFUZZER
    setenv("SWIFT_LAB_FUZZ_TARGET", target.rawValue, 1)
    exit(LibFuzzer.run(target, arguments: [CommandLine.arguments[0]] + arguments.dropFirst(2)))
    #else
    fail("this build has no libFuzzer; scripts/fuzz (make fuzz) builds one in .build-fuzz")
    #endif
}

var target = FuzzTarget.lab
var seconds = 60.0
var seed = UInt64(Date().timeIntervalSince1970 * 1000)
var corpusRoot = "Tests/FuzzCorpus"
var seedPaths: [String] = []
while let argument = arguments.first {
    arguments.removeFirst()
    func value() -> String {
        guard let value = arguments.first else { fail("\(argument) needs a value\n\(usage)") }
        arguments.removeFirst()
        return value
    }
    switch argument {
    case "--target":
        guard let named = FuzzTarget(rawValue: value()) else { fail("unknown target\n\(usage)") }
        target = named
    case "--seconds":
        guard let number = Double(value()) else { fail("--seconds takes a number") }
        seconds = number
    case "--seed":
        guard let number = UInt64(value()) else { fail("--seed takes a whole number") }
        seed = number
    case "--corpus": corpusRoot = value()
    case "-h", "--help": print(usage); exit(0)
    default:
        if argument.hasPrefix("-") { fail("unknown option \(argument)\n\(usage)") }
        seedPaths.append(argument)
    }
}

func save(_ data: Data, to path: String) {
    guard FileManager.default.createFile(atPath: path, contents: data) else { fail("\(path): cannot write the file") }
}

/// Every file a seed path names: the file itself, or the files in the directory.
func files(at path: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
    guard isDirectory.boolValue else { return [path] }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".expected") && $0 != "README.md" }.sorted().map { "\(path)/\($0)" }
}

let corpus = "\(corpusRoot)/\(target.rawValue)"
let seeds = (seedPaths + [corpus]).flatMap(files).compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
guard !seeds.isEmpty else { fail("no seeds: give seed files or put some in \(corpus)") }

var random = SplitMix(seed: seed)
let work = ".build/fuzz/\(target.rawValue)"
try? FileManager.default.removeItem(atPath: work)
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
print("swift-lab-fuzz: target \(target.rawValue), \(seeds.count) seeds, \(Int(seconds)) s, --seed \(seed)")

let batchSize = 100
let batchTimeout = 60.0
let deadline = Date().addingTimeInterval(seconds)
var executed = 0, crashes = 0, slow = 0
var crashSites: Set<String> = []
var batch = 0
while Date() < deadline {
    batch += 1
    var mutants: [[UInt8]] = (0..<batchSize).map { _ in Mutator.mutate(seeds[random.below(seeds.count)], seeds: seeds, random: &random) }
    // Run the batch; after a crash or a hang, run the rest of it in a new child.
    while !mutants.isEmpty {
        let paths = mutants.enumerated().map { "\(work)/\($0.offset).\(target.fileExtension)" }
        for (path, mutant) in zip(paths, mutants) { save(Data(mutant), to: path) }
        let child = Process()
        child.executableURL = Bundle.main.executableURL
        child.arguments = ["--one", target.rawValue] + paths
        // The progress goes through a pipe (a few bytes a mutant); a crash's report, which can be
        // long, to a file.
        let output = Pipe()
        child.standardOutput = output
        let errorPath = "\(work)/stderr"
        save(Data(), to: errorPath)
        child.standardError = FileHandle(forWritingAtPath: errorPath)
        try child.run()
        let started = Date()
        var timedOut = false
        while child.isRunning {
            if Date().timeIntervalSince(started) > batchTimeout { timedOut = true; child.terminate() }
            Thread.sleep(forTimeInterval: 0.005)
        }
        child.waitUntilExit()
        let progress = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = FileManager.default.contents(atPath: errorPath) ?? Data()
        let last = progress.split(separator: "\n").last.flatMap { Int($0) } ?? -1
        if child.terminationReason == .exit && child.terminationStatus == 0 {
            executed += mutants.count
            break
        }
        executed += last + 1
        guard last >= 0 else { fail("a child failed before reading its first input:\n" + String(decoding: errorText, as: UTF8.self)) }
        let mutant = mutants[last]
        let name = "\(SHA256.hex(of: mutant)).\(target.fileExtension)"
        let log = String(decoding: errorText, as: UTF8.self)
        if timedOut {
            slow += 1
            let slowDirectory = ".build/fuzz/slow-\(target.rawValue)"
            try FileManager.default.createDirectory(atPath: slowDirectory, withIntermediateDirectories: true)
            save(Data(mutant), to: "\(slowDirectory)/\(name)")
            print("slow: \(slowDirectory)/\(name) (more than \(Int(batchTimeout)) s for a batch)")
        } else {
            crashes += 1
            let site = CrashSite.of(log)
            if crashSites.insert(site).inserted {
                try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
                save(Data(mutant), to: "\(corpus)/\(name)")
                save(errorText, to: "\(work)/\(name).log")
                print("crash: \(corpus)/\(name) (signal \(child.terminationStatus)) at \(site)\n  its output: \(work)/\(name).log\n  again: swift-lab-fuzz --one \(target.rawValue) \(corpus)/\(name)")
            }
        }
        mutants.removeFirst(last + 1)
    }
}
print("swift-lab-fuzz: target \(target.rawValue): \(executed) mutants in \(Int(seconds)) s, \(crashes) crashes (\(crashSites.count) distinct), \(slow) slow batches")
exit(crashes > 0 ? 1 : 0)
