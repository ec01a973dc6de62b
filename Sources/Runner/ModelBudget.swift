import Engine
import Foundation

/// The most memory one model may take to train, checked from its plan before anything is
/// allocated, so that `dense 2000000 relu` is a sentence rather than a machine out of memory.
///
/// ```swift
/// try ModelBudget.check(try architecture.plan(), batch: 32)   // throws above the limit
/// ```
enum ModelBudget {
    /// 2 GiB: ten times what the largest seed model needs (lab 002's convolutional VAE), and
    /// within what a student's laptop has to spare.
    static let defaultBytes: Int = 2 << 30
    static let environmentVariable = "SWIFT_LAB_MAX_MODEL_BYTES"

    /// The limit in force: `SWIFT_LAB_MAX_MODEL_BYTES` when it is a positive whole number of bytes.
    static func limit(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        guard let text = environment[environmentVariable], let bytes = Int(text), bytes > 0 else { return defaultBytes }
        return bytes
    }

    static func check(_ plan: ArchitecturePlan, batch: Int, limit: Int = limit()) throws {
        let needed = plan.trainingBytes(batch: batch)
        guard needed <= limit else {
            throw ArchitectureError("this model needs \(gigabytes(needed)) to train (\(plan.parameterCount) parameters with their gradients and optimiser state, a batch of \(batch)'s activations, and \(plan.latent)×\(plan.latent) latent statistics); the limit is \(gigabytes(limit)), set \(environmentVariable) to raise it")
        }
    }

    private static func gigabytes(_ bytes: Int) -> String {
        bytes == .max ? "more than 8 EiB" : String(format: "%.1f GiB", Double(bytes) / Double(1 << 30))
    }
}
