/// A small, seeded generator (SplitMix64), so that `--seed` replays a run's mutants exactly.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Mutations aimed at what the readers parse: lines, numbers, line endings, nesting and sizes, as
/// well as plain byte flips.
enum Mutator {
    /// Numbers that sit at the edges: overflow, sign, NaN, infinity, the limits of 32 and 64 bits.
    static let hostileNumbers = ["9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616",
                                 "4294967296", "2147483648", "-1", "0", "-0", "1e300", "-1e300", "1e-300", "nan", "NaN", ".nan",
                                 "inf", "-inf", ".inf", "0x7fffffff", "99999999999999999999999999", "1_000", "1.5", "08", "0o17"]
    /// Characters that break lines, columns or text: controls, CR, tabs, BOM, Arabic number sign,
    /// bidirectional override, a lone surrogate's bytes, an invalid UTF-8 byte.
    static let hostileCharacters: [[UInt8]] = ["\u{0}", "\u{1}", "\u{7f}", "\r", "\r\n", "\t", "\u{0600}", "\u{FEFF}", "\u{202E}",
                                               "\u{2028}", "\u{85}", "\\", "\"", "'", "${", "}", "#", ":", "- ", "```", "~~~"]
        .map { Array($0.utf8) } + [[0xED, 0xA0, 0x80], [0xFF], [0xC3]]
    /// 32-bit big-endian words for binary headers.
    static let hostileWords: [UInt32] = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x0000_0803, 0x0000_0801, 65_536, 28]

    static func mutate(_ seed: [UInt8], seeds: [[UInt8]], random: inout SplitMix) -> [UInt8] {
        var bytes = seed
        for _ in 0...random.below(4) { mutateOnce(&bytes, seeds: seeds, random: &random) }
        return bytes
    }

    private static func mutateOnce(_ bytes: inout [UInt8], seeds: [[UInt8]], random: inout SplitMix) {
        var lines = split(bytes)
        switch random.below(14) {
        case 0: // flip a bit
            guard !bytes.isEmpty else { return }
            bytes[random.below(bytes.count)] ^= 1 << UInt8(random.below(8))
            return
        case 1: // insert a line from any seed
            let other = split(seeds[random.below(seeds.count)])
            lines.insert(other[random.below(other.count)], at: random.below(lines.count + 1))
        case 2: // delete a few lines
            guard !lines.isEmpty else { return }
            let start = random.below(lines.count)
            lines.removeSubrange(start..<min(lines.count, start + 1 + random.below(3)))
        case 3: // duplicate a block of lines, somewhere
            guard !lines.isEmpty else { return }
            let start = random.below(lines.count), end = min(lines.count, start + 1 + random.below(12))
            let block = Array(lines[start..<end])
            lines.insert(contentsOf: Array(repeating: block, count: 1 + random.below(3)).joined(), at: random.below(lines.count + 1))
        case 4, 5: // a number becomes a hostile one
            replaceNumber(&bytes, random: &random)
            return
        case 6: // insert a hostile character
            let character = hostileCharacters[random.below(hostileCharacters.count)]
            bytes.insert(contentsOf: character, at: random.below(bytes.count + 1))
            return
        case 7: // other line endings throughout
            let ending: [UInt8] = random.chance(50) ? [13] : [13, 10]
            bytes = Array(lines.map { $0 }.joined(separator: ending))
            return
        case 8: // deep nesting, in YAML flow style, block style or Markdown
            let depth = [10, 100, 1_000, 10_000][random.below(4)]
            let nest: String
            switch random.below(5) {
            case 0: nest = "layers: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            case 1: nest = "parts: " + String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
            case 2: nest = String(repeating: "> ", count: depth) + "quoted"
            case 3: nest = String(repeating: "- ", count: depth) + "item"
            default: nest = (0..<min(depth, 200)).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
            }
            lines.insert(Array(nest.utf8), at: random.below(lines.count + 1))
        case 9: // a long line, or a line made long
            // A megabyte makes a mutant take a thousand times as long to read: seldom.
            let length = random.chance(5) ? 1_000_000 : [1_000, 10_000, 100_000][random.below(3)]
            if !lines.isEmpty, random.chance(50) {
                let index = random.below(lines.count)
                lines[index] += Array(repeating: lines[index].last ?? 97, count: length)
            } else {
                lines.insert(Array(repeating: 97, count: length), at: random.below(lines.count + 1))
            }
        case 10: // truncate
            bytes.removeLast(random.below(bytes.count + 1))
            return
        case 11: // splice in a piece of another seed
            let other = seeds[random.below(seeds.count)]
            guard !other.isEmpty else { return }
            let start = random.below(other.count), end = min(other.count, start + 1 + random.below(256))
            bytes.insert(contentsOf: other[start..<end], at: random.below(bytes.count + 1))
            return
        case 12: // a binary header word becomes a hostile one
            guard bytes.count >= 4 else { return }
            let offset = random.below(min(bytes.count, 20) / 4) * 4
            let word = hostileWords[random.below(hostileWords.count)]
            for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32(i))) }
            return
        default: // swap two lines
            guard lines.count >= 2 else { return }
            lines.swapAt(random.below(lines.count), random.below(lines.count))
        }
        bytes = Array(lines.joined(separator: [10]))
    }

    private static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
    }

    /// Replaces the digits (with sign, point and exponent) around a random digit, if there is one.
    private static func replaceNumber(_ bytes: inout [UInt8], random: inout SplitMix) {
        let digits = bytes.indices.filter { bytes[$0] >= 48 && bytes[$0] <= 57 }
        guard !digits.isEmpty else { return }
        let isPart: (UInt8) -> Bool = { ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 || $0 == 101 || $0 == 43 }
        var start = digits[random.below(digits.count)], end = start + 1
        while start > 0, isPart(bytes[start - 1]) { start -= 1 }
        while end < bytes.count, isPart(bytes[end]) { end += 1 }
        bytes.replaceSubrange(start..<end, with: Array(hostileNumbers[random.below(hostileNumbers.count)].utf8))
    }
}

/// Where a crash happened, from the Swift runtime's message and backtrace on standard error: the
/// message, and the first frame in this repository's sources. Crashes at one site are one bug.
enum CrashSite {
    static func of(_ log: String) -> String {
        let lines = log.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let message = lines.first { $0.contains("Fatal error") || $0.contains("runtime failure") }
        let frame = lines.lazy.compactMap { line -> Substring? in
            guard let range = line.range(of: "/Sources/") else { return nil }
            return line[range.lowerBound...]
        }.first
        let parts = [message.map { String($0.prefix(160)) }, frame.map(String.init)].compactMap { $0 }
        return parts.isEmpty ? String(log.prefix(160)) : parts.joined(separator: " ")
    }
}
