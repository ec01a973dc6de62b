import XCTest
@testable import LabDocument

/// The interpreter takes a key's default from `LabSchema`, parsed as the key's type, so every
/// declared default of a number, boolean or choice must read as one, or be one of the defaults
/// described in words that the interpreter works out itself.
final class DeclaredDefaultTests: XCTestCase {
    /// Defaults the reference describes rather than states; the interpreter never reads these.
    private let described: Set<String> = [
        "all", "none", "the model's training data", "the model's or baseline's training data",
        "0.001 (adam, rmsprop), 0.01 (sgd)", "the score's threshold", "scott",
    ]

    func testEveryDeclaredDefaultReadsAsItsType() {
        for kind in StepKind.allCases {
            for spec in kind.keys.keys {
                guard case .optional(let text?) = spec.requirement, !described.contains(text), !text.contains("`") else { continue }
                let what = "\(kind.rawValue).\(spec.name) = '\(text)'"
                switch spec.type {
                case .integer: XCTAssertNotNil(Int(text), what)
                case .number: XCTAssertNotNil(Double(text), what)
                case .boolean: XCTAssertNotNil(Bool(text), what)
                case .choice(let words): XCTAssertTrue(words.contains(text), what)
                default: continue
                }
            }
        }
    }

    /// The defaults the interpreter reads, each as the type it reads them.
    func testTheDefaultsTheInterpreterReads() {
        XCTAssertEqual(LabSchema.declaredDefault(of: "batch", in: .train).flatMap(Int.init), 32)
        XCTAssertEqual(LabSchema.declaredDefault(of: "count", in: .plot).flatMap(Int.init), 10, "outliers too: the reference says 10")
        XCTAssertEqual(LabSchema.declaredDefault(of: "components", in: .score).flatMap(Double.init), 0.95)
        XCTAssertEqual(LabSchema.declaredDefault(of: "stratify", in: .split).flatMap(Bool.init), true)
        XCTAssertEqual(LabSchema.declaredDefault(of: "optimizer", in: .train), "adam")
        XCTAssertNil(LabSchema.declaredDefault(of: "epochs", in: .train), "required")
    }
}
