import Randomness
import XCTest
@testable import Datasets

final class OperationsTests: XCTestCase {
    func testFilteringByClassNumberOrName() throws {
        let data = Fixtures.dataset()
        XCTAssertEqual(try DatasetOperations.keeping(data, classes: ["1"]).count, 10)
        XCTAssertEqual(Set(try DatasetOperations.excluding(data, classes: ["class1"]).samples.map(\.label)), [0, 2])
        XCTAssertThrowsError(try DatasetOperations.keeping(data, classes: ["7"])) {
            XCTAssertEqual("\($0)", "toy has no class '7' (classes: class0, class1, class2)")
        }
        let empty = Fixtures.dataset(classes: 3).filtered { $0.label != 2 }
        XCTAssertThrowsError(try DatasetOperations.keeping(empty, classes: ["2"])) {
            XCTAssertEqual("\($0)", "toy has no samples left after keeping classes 2")
        }
    }

    func testLimitIsStratifiedAndSeeded() {
        let data = Fixtures.dataset(classes: 3, perClass: 10)
        var a = RandomGenerator(seed: 1), b = RandomGenerator(seed: 1)
        let limited = DatasetOperations.limited(data, to: 9, rng: &a)
        XCTAssertEqual(limited.countsByClass.map(\.count), [3, 3, 3])
        XCTAssertEqual(limited.samples, DatasetOperations.limited(data, to: 9, rng: &b).samples)
        var c = RandomGenerator(seed: 2)
        XCTAssertNotEqual(limited.samples, DatasetOperations.limited(data, to: 9, rng: &c).samples)
    }

    func testHoldoutFlagsTheClassAndKeepsLabels() throws {
        let test = try DatasetOperations.holdingOut(Fixtures.dataset(), classes: ["class1"])
        XCTAssertEqual(test.anomalyCount, 10)
        XCTAssertTrue(test.samples.allSatisfy { $0.isAnomaly == ($0.label == 1) })
        XCTAssertThrowsError(try DatasetOperations.holdingOut(Fixtures.dataset(classes: 1), classes: ["0"]))
    }

    func testInjectionAppendsFlaggedAnomaliesWithTheirTransform() throws {
        let normal = Fixtures.dataset(classes: 2, perClass: 5, name: "normal")
        let other = Fixtures.dataset(classes: 1, perClass: 4, name: "other")
        var rng = RandomGenerator(seed: 3)
        let test = try DatasetOperations.injecting(normal: normal, anomalies: other, transform: .rotate(degrees: 90), rng: &rng)
        XCTAssertEqual(test.count, 14)
        XCTAssertEqual(test.samples.map(\.isAnomaly), Array(repeating: false, count: 10) + Array(repeating: true, count: 4))
        XCTAssertEqual(test.samples.last?.origin, "other")
        XCTAssertEqual(test.samples.last?.transform, "rotate 90")
        XCTAssertEqual(Array(test.values(of: 10)), ImageTransform.rotate(degrees: 90).apply(other.values(of: 0), shape: [4, 4, 1], rng: &rng))
        XCTAssertEqual(Array(other.values(of: 0)), Array(Fixtures.dataset(classes: 1, perClass: 4).values(of: 0)), "the source is not modified")
    }

    func testContaminationIsSeededBitForBitAndRecordsKinds() throws {
        let data = Fixtures.dataset(classes: 2, perClass: 50)
        let kinds: [ImageTransform] = [.transpose, .noise(sigma: 0.5), .blackout(size: 2)]
        var a = RandomGenerator(seed: 12), b = RandomGenerator(seed: 12), c = RandomGenerator(seed: 13)
        let first = try DatasetOperations.contaminating(data, fraction: 0.1, kinds: kinds, rng: &a)
        let second = try DatasetOperations.contaminating(data, fraction: 0.1, kinds: kinds, rng: &b)
        XCTAssertEqual(first.anomalyCount, 10)
        XCTAssertEqual(first.samples, second.samples)
        XCTAssertEqual(first.matrix(), second.matrix(), "the same seed corrupts the same images the same way")
        XCTAssertNotEqual(first.matrix(), try DatasetOperations.contaminating(data, fraction: 0.1, kinds: kinds, rng: &c).matrix())
        XCTAssertTrue(first.samples.allSatisfy { $0.isAnomaly == ($0.transform != nil) })
        XCTAssertTrue(Set(first.samples.compactMap(\.transform)).isSubset(of: ["transpose", "noise 0.5", "blackout 2"]))
        XCTAssertThrowsError(try DatasetOperations.contaminating(data, fraction: 1.5, kinds: kinds, rng: &a))
    }

    func testStratifiedSplitIsAPartition() throws {
        let data = Fixtures.dataset(classes: 3, perClass: 20)
        var rng = RandomGenerator(seed: 4)
        let parts = try DatasetOperations.splitting(data, fractions: [("train", 0.9), ("test", 0.1)], stratify: true, rng: &rng)
        XCTAssertEqual(parts.map(\.data.count), [54, 6])
        XCTAssertEqual(parts[1].data.countsByClass.map(\.count), [2, 2, 2])
        let all = parts.flatMap { $0.data.samples.map(\.index) }
        XCTAssertEqual(all.sorted(), Array(0..<60))
        var again = RandomGenerator(seed: 4)
        XCTAssertEqual(try DatasetOperations.splitting(data, fractions: [("train", 0.9), ("test", 0.1)], stratify: true, rng: &again).map(\.data.samples), parts.map(\.data.samples))
        XCTAssertThrowsError(try DatasetOperations.splitting(data, fractions: [("a", 0.5), ("b", 0.4)], stratify: true, rng: &rng))
        XCTAssertThrowsError(try DatasetOperations.splitting(Fixtures.dataset(classes: 1, perClass: 1), fractions: [("a", 0.5), ("b", 0.5)], stratify: false, rng: &rng)) {
            XCTAssertEqual("\($0)", "b has no samples left in split part 'b'")
        }
        XCTAssertEqual(DatasetOperations.largestRemainder([0.5, 0.25, 0.25], total: 3), [1, 1, 1])
        XCTAssertEqual(DatasetOperations.largestRemainder([0.5, 0.5], total: 3), [2, 1], "ties go to the earlier part")
    }

    func testTransforms() {
        // A 3×3 image with distinct values, read row by row.
        let image: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map { $0 / 10 }
        var rng = RandomGenerator(seed: 1)
        func apply(_ t: ImageTransform) -> [Float] { t.apply(image[...], shape: [3, 3, 1], rng: &rng).map { ($0 * 10).rounded() } }
        XCTAssertEqual(apply(.rotate(degrees: 90)), [3, 6, 9, 2, 5, 8, 1, 4, 7], "counter-clockwise, as numpy.rot90")
        XCTAssertEqual(apply(.rotate(degrees: 180)), [9, 8, 7, 6, 5, 4, 3, 2, 1])
        XCTAssertEqual(apply(.rotate(degrees: -90)), apply(.rotate(degrees: 270)))
        XCTAssertEqual(apply(.rotate(degrees: 360)), [1, 2, 3, 4, 5, 6, 7, 8, 9])
        XCTAssertEqual(apply(.transpose), [1, 4, 7, 2, 5, 8, 3, 6, 9])
        XCTAssertEqual(apply(.flip), [3, 2, 1, 6, 5, 4, 9, 8, 7])
        XCTAssertEqual(apply(.rotate(degrees: 45))[4], 5, "the centre stays")
        let blackout = ImageTransform.blackout(size: 2).apply(image[...], shape: [3, 3, 1], rng: &rng)
        XCTAssertEqual(blackout.filter { $0 == 0 }.count, 4)
        let noisy = ImageTransform.noise(sigma: 2).apply(image[...], shape: [3, 3, 1], rng: &rng)
        XCTAssertTrue(noisy.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertNotEqual(noisy, image)
        // One half or the other, whole rows: a 4×4 image keeps exactly two of its rows.
        let square: [Float] = (1...16).map { Float($0) }
        for _ in 0..<10 {
            let half = ImageTransform.blackoutHalf.apply(square[...], shape: [4, 4, 1], rng: &rng)
            XCTAssertTrue(half == [0, 0, 0, 0, 0, 0, 0, 0] + Array(square[8...]) || half == Array(square[..<8]) + [0, 0, 0, 0, 0, 0, 0, 0], "\(half)")
        }
        // Inversion: every value is kept or becomes 1 − value, about p of them inverted.
        let grey = [Float](repeating: 0.25, count: 10_000)
        let inverted = ImageTransform.invert(probability: 0.1).apply(grey[...], shape: [100, 100, 1], rng: &rng)
        XCTAssertTrue(inverted.allSatisfy { $0 == 0.25 || $0 == 0.75 })
        XCTAssertEqual(Double(inverted.filter { $0 == 0.75 }.count), 1_000, accuracy: 100)
        // Uniform noise: about μ of the values replaced, each by a grey level k/255.
        let grey3 = [Float](repeating: 0.3, count: 10_000)
        let perturbed = ImageTransform.uniformNoise(rate: 0.2).apply(grey3[...], shape: [100, 100, 1], rng: &rng)
        let replaced = perturbed.filter { $0 != 0.3 }
        XCTAssertEqual(Double(replaced.count), 2_000, accuracy: 150)
        XCTAssertTrue(replaced.allSatisfy { ($0 * 255).rounded() == $0 * 255 && $0 >= 0 && $0 <= 1 })
        XCTAssertEqual(Double(replaced.reduce(0, +)) / Double(replaced.count), 0.5, accuracy: 0.03)
    }
}
