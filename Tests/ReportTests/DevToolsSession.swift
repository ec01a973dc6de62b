import Foundation
import XCTest

/// Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
/// commands on its descriptor 3, answers on 4, each JSON message ended by a NUL byte). The page
/// is opened as it is, CSP and all; the viewport and the colour scheme are emulated, which a
/// window size cannot do (headless windows are at least 500 px wide), and the measuring script
/// runs through `Runtime.evaluate`, which the page's CSP does not govern.
///
/// ```swift
/// let session = try DevToolsSession(browser: "/usr/bin/chromium")
/// let page = try session.open(url, width: 390, dark: true)
/// let facts = try session.evaluate("document.title", in: page)
/// ```
final class DevToolsSession {
    private let process = Process()
    private let commands = Pipe(), answers = Pipe()
    private var buffer = Data()
    private var nextID = 0
    private var events: [[String: Any]] = []
    private let profile = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-devtools-\(UUID().uuidString)")
    /// A browser that stops answering is killed after `patience` seconds, so that a test fails
    /// instead of hanging.
    private let patience: TimeInterval

    init(browser: String, patience: TimeInterval = 60) throws {
        self.patience = patience
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell gives Chromium our pipes as its descriptors 3 and 4; its own output goes to stderr.
        process.arguments = ["-c", "exec \"$0\" \"$@\" 3<&0 4>&1 1>&2", browser,
                             "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars",
                             "--user-data-dir=\(profile.path)", "--remote-debugging-pipe", "about:blank"]
        process.standardInput = commands
        process.standardOutput = answers
        process.standardError = FileHandle.nullDevice
        try process.run()
        let process = self.process
        DispatchQueue.global().asyncAfter(deadline: .now() + patience) { if process.isRunning { process.terminate() } }
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }

    /// Sends a command and returns its result, keeping the events that arrive meanwhile.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = try JSONSerialization.data(withJSONObject: message)
        bytes.append(0)
        commands.fileHandleForWriting.write(bytes)
        while true {
            let answer = try readMessage()
            if answer["id"] as? Int == nextID {
                if let error = answer["error"] { throw DevToolsError("\(method): \(error)") }
                return answer["result"] as? [String: Any] ?? [:]
            }
            events.append(answer)
        }
    }

    /// Waits for an event of the page's session.
    func wait(for method: String, session: String) throws {
        func matches(_ event: [String: Any]) -> Bool { event["method"] as? String == method && event["sessionId"] as? String == session }
        if events.contains(where: matches) { events.removeAll(where: matches); return }
        while true {
            let event = try readMessage()
            if matches(event) { return }
            events.append(event)
        }
    }

    private func readMessage() throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = buffer[buffer.startIndex..<end]
                buffer = Data(buffer[(end + 1)...])
                return (try JSONSerialization.jsonObject(with: message)) as? [String: Any] ?? [:]
            }
            let more = answers.fileHandleForReading.availableData
            guard !more.isEmpty else { throw DevToolsError("Chromium closed the pipe (or took longer than \(Int(patience)) s)") }
            buffer.append(more)
        }
    }

    /// A new tab showing `url` in a viewport `width` CSS pixels wide, as a phone would
    /// (`mobile` honours the page's viewport meta), in the dark or light colour scheme; returns
    /// its session once the page has loaded.
    func open(_ url: URL, width: Int, height: Int = 900, dark: Bool) throws -> String {
        let target = try send("Target.createTarget", ["url": "about:blank"])["targetId"] as? String ?? ""
        let session = try send("Target.attachToTarget", ["targetId": target, "flatten": true])["sessionId"] as? String ?? ""
        try send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500], session: session)
        try send("Emulation.setEmulatedMedia", ["features": [["name": "prefers-color-scheme", "value": dark ? "dark" : "light"]]], session: session)
        try send("Page.enable", session: session)
        try send("Page.navigate", ["url": url.absoluteString], session: session)
        try wait(for: "Page.loadEventFired", session: session)
        return session
    }

    /// The value of a JavaScript expression (JSON-compatible) evaluated in the page.
    func evaluate(_ expression: String, in session: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true], session: session)
        if let exception = result["exceptionDetails"] { throw DevToolsError("script failed: \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// A PNG of `height` CSS pixels of the page from `top` down, beyond the viewport if need be.
    func screenshot(_ session: String, to file: URL, width: Int, top: Int = 0, height: Int) throws {
        let params: [String: Any] = ["format": "png", "captureBeyondViewport": true,
                                     "clip": ["x": 0, "y": top, "width": width, "height": height, "scale": 1]]
        let result = try send("Page.captureScreenshot", params, session: session)
        guard let base64 = result["data"] as? String, let png = Data(base64Encoded: base64) else { throw DevToolsError("no screenshot") }
        try png.write(to: file)
    }
}

struct DevToolsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
