import Datasets
import XCTest
@testable import LabDocument

final class SpecTests: XCTestCase {
    func testLayers() throws {
        XCTAssertEqual(try LayerSpec.parse("dense 400 relu").get(), .dense(units: 400, activation: .relu))
        XCTAssertEqual(try LayerSpec.parse("dense 2").get(), .dense(units: 2, activation: .linear))
        XCTAssertEqual(try LayerSpec.parse("conv 32 3x3 stride 2 same relu").get(),
                       .conv(filters: 32, kernel: .init(height: 3, width: 3), stride: .init(height: 2, width: 2), padding: .same, activation: .relu))
        XCTAssertEqual(try LayerSpec.parse("deconv 1 7x5 valid").get(),
                       .deconv(filters: 1, kernel: .init(height: 7, width: 5), stride: .init(height: 1, width: 1), padding: .valid, activation: .linear))
        XCTAssertEqual(try LayerSpec.parse("reshape 7x7x64").get(), .reshape([7, 7, 64]))
        XCTAssertEqual(try LayerSpec.parse("flatten").get(), .flatten)
        XCTAssertEqual(try LayerSpec.parse("leaky-relu 0.2").get(), .activation(.leakyReLU(alpha: 0.2)))
        XCTAssertEqual(try LayerSpec.parse("leaky-relu").get(), .activation(.leakyReLU(alpha: 0.3)))
    }

    func testLayerErrors() {
        func error(_ text: String) -> String? {
            if case .failure(let e) = LayerSpec.parse(text) { return e.description }
            return nil
        }
        XCTAssertEqual(error("dense 0 relu"), "'0' is not the number of units (a whole number above 0)")
        XCTAssertEqual(error("conv 8"), "'conv' needs a kernel size such as 3x3")
        XCTAssertEqual(error("flatten 3"), "unexpected '3' after 'flatten'")
        XCTAssertEqual(error("leaky-relu 2"), "leaky-relu's slope must be in [0, 1), got 2")
        XCTAssertEqual(error("lstm 4"), "unknown layer 'lstm' (layers: dense, conv, deconv, flatten, reshape, or an activation)")
    }

    func testTransforms() throws {
        XCTAssertEqual(try TransformSpec.parse("rotate").get(), .rotate(degrees: 90))
        XCTAssertEqual(try TransformSpec.parse("rotate 45").get(), .rotate(degrees: 45))
        XCTAssertEqual(try TransformSpec.parse("noise 0.5").get(), .noise(sigma: 0.5))
        XCTAssertEqual(try TransformSpec.parse("blackout 12").get(), .blackout(size: 12))
        XCTAssertEqual(try TransformSpec.parse("transpose").get(), .transpose)
        XCTAssertEqual(try TransformSpec.parse("flip").get(), .flip)
        XCTAssertThrowsError(try TransformSpec.parse("flip 3").get())
        XCTAssertThrowsError(try TransformSpec.parse("blackout 2.5").get())
        XCTAssertEqual(try TransformSpec.parse("blackout half").get(), .blackoutHalf)
        XCTAssertEqual(try TransformSpec.parse("invert 0.1").get(), .invert(probability: 0.1))
        XCTAssertEqual(try TransformSpec.parse("invert").get(), .invert(probability: 0.1))
        XCTAssertThrowsError(try TransformSpec.parse("invert 1.5").get())
        XCTAssertEqual(try TransformSpec.parse("noise uniform 0.3").get(), .uniformNoise(rate: 0.3))
        XCTAssertEqual(try TransformSpec.parse("noise uniform").get(), .uniformNoise(rate: 0.2))
        XCTAssertEqual(try TransformSpec.parse("noise 0.5").get(), .noise(sigma: 0.5))
        for bad in ["noise uniform 0", "noise uniform 1.5", "noise uniform nan", "noise uniform 0.2 0.3", "noise uniform x"] {
            XCTAssertThrowsError(try TransformSpec.parse(bad).get(), bad)
        }
    }

    func testExpectation() throws {
        let e = try XCTUnwrap(Expectation("auc >= 0.8"))
        XCTAssertTrue(e.holds(for: 0.8))
        XCTAssertFalse(e.holds(for: 0.79))
        XCTAssertNil(Expectation("auc => 0.8"))
        XCTAssertNil(Expectation("auc >= high"))
    }

    func testSuggestions() {
        XCTAssertEqual(Suggestion.closest(to: "trian", in: ["train", "split"]), "train")
        XCTAssertEqual(Suggestion.closest(to: "epoch", in: ["epochs", "batch"]), "epochs")
        XCTAssertEqual(Suggestion.closest(to: "batch_size", in: ["batch", "epochs"]), "batch")
        XCTAssertNil(Suggestion.closest(to: "colour", in: ["kind", "data"]))
        XCTAssertEqual(Suggestion.closest(to: "tarin", in: ["train", "split"]), "train", "a swap of neighbours is one edit")
    }

    /// A fence such as ```swift-lab loaddd... with a megabyte of d's is compared with each step
    /// kind a row at a time: seconds and a table of a million rows before.
    func testAWordAMegabyteLongIsComparedWithEachKindWithoutATablePerLetter() {
        let kinds = StepKind.allCases.map(\.rawValue)
        XCTAssertEqual(Suggestion.closest(to: "load" + String(repeating: "d", count: 100_000), in: kinds), "load")
        XCTAssertNil(Suggestion.closest(to: String(repeating: "x", count: 100_000), in: kinds))
    }
}
