import ArgumentParser
import Datasets
import Foundation

/// `swift-lab new NAME`: writes `NAME.md`, a starter lab that passes `check` and runs in about a
/// minute on two cores (MNIST ones as normal, sevens as anomalies), for an instructor to edit.
struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a starter lab, NAME.md, that checks and runs; edit it from there.",
        discussion: "It reads MNIST (see `swift-lab fetch mnist`). Refuses to overwrite a file.")

    @Argument(help: "Name of the lab: letters, digits, '-' and '_'; '.md' is added.")
    var name: String

    @Option(help: ArgumentHelp("Directory to write the lab into.", valueName: "dir"))
    var directory: String = "."

    func run() throws {
        let stem = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        let allowed = stem.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
        guard stem.count <= 100, allowed, stem.unicodeScalars.contains(where: { CharacterSet.alphanumerics.contains($0) }) else {
            throw ValidationError("'\(TerminalText.escaped(name))' is not a lab name: use letters, digits, '-' and '_' (at most 100, at least one letter or digit)")
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(stem).md").path
        // O_EXCL: an existing lab is never overwritten, even one that appears meanwhile.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let cause = errno == EEXIST ? "it exists; choose another name" : String(cString: strerror(errno)).lowercased()
            FileHandle.standardError.write(Data("error: cannot write \(TerminalText.escaped(path)): \(cause)\n".utf8))
            throw ExitCode(1)
        }
        let text = Array(Self.starter(title: stem.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")).utf8)
        var written = 0
        while written < text.count {
            let count = text[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                // A full disk: no half a lab left behind to block the next try.
                let cause = String(cString: strerror(errno)).lowercased()
                close(descriptor)
                unlink(path)
                FileHandle.standardError.write(Data("error: cannot write \(TerminalText.escaped(path)): \(cause)\n".utf8))
                throw ExitCode(1)
            }
            written += count
        }
        close(descriptor)
        print(TerminalText.escaped(path))
        FileHandle.standardError.write(Data("next: swift-lab check \(TerminalText.escaped(path)) && swift-lab run \(TerminalText.escaped(path)) --quick\n".utf8))
    }

    static func starter(title: String) -> String {
        """
        ---
        title: "\(title)"
        seed: 1
        description: >
          A starting point: an autoencoder learns what the digit 1 looks like, and its reconstruction
          error tells sevens from ones.
        params:
          latent: 8
          epochs: 5
        ---

        # \(title)

        Write what the lab teaches here. Every fenced block whose info string is `swift-lab` and a
        step kind is run in order; everything else is prose. `docs/lab-format.md` lists every key.

        ## Data

        Ones are the normal class; a few hundred sevens are mixed into the test set as anomalies.

        ```swift-lab load
        dataset: mnist
        split: train
        classes: [1]
        limit: 3000
        as: ones
        ```

        ```swift-lab load
        dataset: mnist
        split: test
        classes: [1]
        as: test_ones
        ```

        ```swift-lab load
        dataset: mnist
        split: test
        classes: [7]
        as: sevens
        ```

        ```swift-lab split
        normal: test_ones
        anomalies: { from: sevens, limit: 200 }
        as: test
        ```

        ## Model

        ```swift-lab train
        model: autoencoder
        data: ones
        encoder: [dense 64 relu, dense ${latent} relu]
        latent: ${latent}
        decoder: [dense 64 relu, dense 784 sigmoid]
        loss: bce
        epochs: ${epochs}
        as: model
        ```

        ```swift-lab plot
        kind: loss
        model: model
        ```

        ## Scores

        ```swift-lab score
        method: reconstruction-error
        model: model
        data: test
        threshold: { sigma: 3 }
        as: error
        ```

        ```swift-lab plot
        kind: histogram
        scores: error
        ```

        ```swift-lab plot
        kind: roc
        scores: error
        ```

        ```swift-lab challenge
        title: A smaller code
        prompt: How small can the code be before sevens and ones look alike to the model?
        vary: { latent: [2, 4, 8] }
        measure: error.auc
        ```

        """
    }
}
