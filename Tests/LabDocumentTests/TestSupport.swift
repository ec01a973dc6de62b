import Foundation
@testable import LabDocument

/// Paths of the repository, found from this file so tests run from any directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let labs = root.appendingPathComponent("Labs")
}

/// Parses lab text and returns its diagnostics as printed, with the path shortened to `lab.md`.
func diagnostics(of text: String, overrides: [(String, String)] = []) -> [String] {
    LabParser.parse(text: text, path: "lab.md", overrides: overrides).diagnostics.map(\.description)
}

/// A minimal valid lab to build test cases on.
let minimalLab = """
---
title: Minimal
params: { epochs: 3, digit: 5, rate: 0.5, name: mnist }
---
# A lab

```swift-lab load
dataset: ${name}
split: test
classes: [${digit}]
as: digits
```

```swift-lab train
model: autoencoder
data: digits
encoder: [dense 8 relu]
latent: 8
decoder: [dense 784 sigmoid]
epochs: ${epochs}
as: ae
```
"""
