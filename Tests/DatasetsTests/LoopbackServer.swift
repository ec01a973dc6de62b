import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for the fetch tests: serves `files` by path, honours
/// `Range: bytes=N-`, and for paths under `/stall/` accepts the request and never answers.
final class LoopbackServer: @unchecked Sendable {
    let port: UInt16
    private let socket: Int32
    private let files: [String: Data]
    private let lock = NSLock()
    private var _requests: [String] = []
    private var stalled: [Int32] = []

    var requests: [String] { lock.lock(); defer { lock.unlock() }; return _requests }

    init(files: [String: Data]) throws {
        self.files = files
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw NSError(domain: "LoopbackServer", code: 1) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        socket = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
        lock.lock()
        stalled.forEach { close($0) }
        lock.unlock()
    }

    private func serve() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 { return }
            var buffer = [UInt8](repeating: 0, count: 8192)
            let n = recv(client, &buffer, buffer.count, 0)
            guard n > 0 else { close(client); continue }
            let request = String(decoding: buffer[0..<n], as: UTF8.self)
            let lines = request.components(separatedBy: "\r\n")
            let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            lock.lock(); _requests.append(lines.first ?? ""); lock.unlock()
            if path.hasPrefix("/stall/") {
                lock.lock(); stalled.append(client); lock.unlock()
                continue
            }
            var status = "200 OK"
            var body = files[path]
            if body == nil { status = "404 Not Found"; body = Data() }
            if let range = lines.first(where: { $0.lowercased().hasPrefix("range: bytes=") }), let data = body, status.hasPrefix("200") {
                let start = Int(range.dropFirst("range: bytes=".count).prefix { $0 != "-" }) ?? 0
                if start >= data.count { status = "416 Range Not Satisfiable"; body = Data() } else { status = "206 Partial Content"; body = data.suffix(from: start) }
            }
            let head = "HTTP/1.1 \(status)\r\nContent-Length: \(body!.count)\r\nConnection: close\r\n\r\n"
            var response = Data(head.utf8)
            response.append(body!)
            response.withUnsafeBytes { raw in
                var sent = 0
                while sent < raw.count {
                    let r = send(client, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                    if r <= 0 { break }
                    sent += r
                }
            }
            close(client)
        }
    }
}
