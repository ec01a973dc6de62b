import Foundation
import XCTest
@testable import LabDocument

/// Local images in prose: a PNG, JPEG or GIF inside the lab's folder is embedded; anything else
/// (outside the folder, a link, a FIFO, a device, too large, not an image) is an error at the
/// image's position, and nothing waits or is read through a link.
final class ProseImagesTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func write(_ bytes: [UInt8], _ name: String) throws { try Data(bytes).write(to: folder.appendingPathComponent(name)) }

    private func parse(_ prose: String) throws -> LabParser.Result {
        let lab = folder.appendingPathComponent("lab.md")
        try "# Images\n\n\(prose)\n\n```swift-lab load\ndataset: mnist\nas: digits\n```\n".write(to: lab, atomically: false, encoding: .utf8)
        return LabParser.parse(file: lab.path)
    }

    /// The start of a PNG of `width` × `height`: signature and IHDR (enough for its size).
    private static func png(_ width: UInt32 = 2, _ height: UInt32 = 2) -> [UInt8] {
        func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0]
    }
    private static let png = png()
    /// A JPEG's start: SOI, an APP0 segment, then a baseline frame header of `width` × `height`.
    private static func jpeg(_ width: UInt16, _ height: UInt16) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, 0xFF, 0xC0, 0x00, 0x0B, 0x08,
         UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 0x01, 0x01, 0x11, 0x00]
    }

    func testImagesInTheLabsFolderAreEmbeddedByTheirFirstBytes() throws {
        try write(Self.png, "fig.png")
        try write(Self.jpeg(640, 480), "photo.jpg")
        try write(Array("GIF89a".utf8) + [0x10, 0x00, 0x10, 0x00], "sub/anim.gif")
        let result = try parse("![a](fig.png) ![b](photo.jpg) ![c](sub/anim.gif) ![d](./fig.png) ![remote](https://example.org/x.png)")
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let images = try XCTUnwrap(result.lab?.images)
        XCTAssertEqual(images["fig.png"], "data:image/png;base64," + Data(Self.png).base64EncodedString())
        XCTAssertTrue(images["photo.jpg"]?.hasPrefix("data:image/jpeg;base64,") == true)
        XCTAssertTrue(images["sub/anim.gif"]?.hasPrefix("data:image/gif;base64,") == true)
        XCTAssertNotNil(images["./fig.png"])
        XCTAssertNil(images["https://example.org/x.png"], "a remote image is never loaded")
    }

    func testEveryOtherImageIsAnErrorAtItsPosition() throws {
        try write(Array("<svg onload=alert(1)>".utf8), "fake.png")
        try write(Self.png + [UInt8](repeating: 0, count: ProseImages.maximumBytes), "big.png")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.png").path, withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("linkdir").path, withDestinationPath: folder.appendingPathComponent("sub").path)
        try write(Self.png, "sub/ok.png")
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe.png").path, 0o644), 0)
        let result = try parse("""
        ![fake](fake.png) ![big](big.png)
        ![link](link.png) ![pipe](pipe.png) ![through a link](linkdir/ok.png)
        ![up](../lab.png) ![abs](/etc/passwd) ![none](missing.png) ![js](javascript:alert(1)) ![data](data:image/png;base64,AAAA) ![dir](sub)
        """)
        let path = folder.appendingPathComponent("lab.md").path
        XCTAssertEqual(result.diagnostics.map(\.description), [
            "\(path):3:1: error: image 'fake.png' cannot be shown: it is not a PNG, JPEG or GIF file (by its first bytes)",
            "\(path):3:19: error: image 'big.png' cannot be shown: it is \(ProseImages.maximumBytes + Self.png.count) bytes; an image may be at most \(ProseImages.maximumBytes) bytes (2 MiB)",
            "\(path):4:1: error: image 'link.png' cannot be shown: it is a symbolic link; images are read only as files in the lab's folder",
            "\(path):4:19: error: image 'pipe.png' cannot be shown: it is not a regular file",
            "\(path):4:37: error: image 'linkdir/ok.png' cannot be shown: 'linkdir' is not a folder inside the lab's folder (a link is not followed)",
            "\(path):5:1: error: image '../lab.png' cannot be shown: '..' leaves the lab's folder; images must be inside it",
            "\(path):5:19: error: image '/etc/passwd' cannot be shown: an absolute path; write the image's path relative to the lab's folder",
            "\(path):5:39: error: image 'missing.png' cannot be shown: there is no such file in the lab's folder",
            "\(path):5:60: error: image 'javascript:alert(1)' cannot be shown: only image files next to the lab are shown, not 'javascript:' addresses",
            "\(path):5:87: error: image 'data:image/png;base64,AAAA' cannot be shown: only image files next to the lab are shown, not 'data:' addresses",
            "\(path):5:123: error: image 'sub' cannot be shown: it is not a regular file",
        ])
    }

    func testImagesInCodeAreNotImages() throws {
        let result = try parse("`![x](missing.png)`\n\n    ![y](missing.png)\n")
        XCTAssertEqual(result.diagnostics.map(\.description), [])
    }

    /// A few bytes can claim billions of pixels for the reader's browser to decode: an image
    /// whose header claims more than `maximumPixels`, or whose header is cut short, is an error.
    func testAnImageClaimingTooManyPixelsIsAnError() throws {
        try write(Self.png(100_000, 100_000), "bomb.png")
        try write(Self.png(4096, 4096), "largest.png")
        try write(Self.jpeg(60_000, 60_000), "bomb.jpg")
        try write(Array("GIF89a".utf8) + [0xFF, 0xFF, 0xFF, 0xFF], "bomb.gif")
        try write(Array(Self.png.prefix(20)), "cut.png")
        try write([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46], "cut.jpg")
        let result = try parse("![a](bomb.png) ![b](largest.png) ![c](bomb.jpg) ![d](bomb.gif) ![e](cut.png) ![f](cut.jpg)")
        let path = folder.appendingPathComponent("lab.md").path
        XCTAssertEqual(result.diagnostics.map(\.description), [
            "\(path):3:1: error: image 'bomb.png' cannot be shown: it claims 100000 × 100000 pixels; an image may have at most 16777216 (4096 × 4096)",
            "\(path):3:34: error: image 'bomb.jpg' cannot be shown: it claims 60000 × 60000 pixels; an image may have at most 16777216 (4096 × 4096)",
            "\(path):3:49: error: image 'bomb.gif' cannot be shown: it claims 65535 × 65535 pixels; an image may have at most 16777216 (4096 × 4096)",
            "\(path):3:64: error: image 'cut.png' cannot be shown: its header is cut short, so its size cannot be told",
            "\(path):3:78: error: image 'cut.jpg' cannot be shown: its header is cut short, so its size cannot be told",
        ])
        XCTAssertNotNil(result.lab?.images["largest.png"], "4096 × 4096 is allowed")
    }
}
