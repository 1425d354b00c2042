import CCurl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request on `CurlSession`, through its redirects. Apart from the immutable fields and the
/// continuation (thread-safe), it is touched only on the session's loop thread, from libcurl's
/// callbacks and between `curl_multi_perform` calls.
final class CurlTransfer: @unchecked Sendable {  // mutable state is touched on the session's loop thread only
    static let maxRedirects = 10
    private static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    let continuation: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation
    let limits: BodyLimits
    let originalURL: URL?
    private(set) var request: URLRequest
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// Set once the stream has been finished or abandoned: nothing more is passed on.
    var finished = false
    private(set) var redirects = 0
    /// The `Location` of a redirect being followed; its body is discarded.
    private(set) var redirectTarget: String?
    private var status = 0
    private var headers: [String: String] = [:]
    private var received = 0

    init(request: URLRequest, limits: BodyLimits, continuation: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation) {
        self.request = request
        self.limits = limits
        self.continuation = continuation
        originalURL = request.url
        errorText.initialize(to: 0)
    }

    deinit { errorText.deallocate() }

    static func from(_ context: UnsafeMutableRawPointer?) -> CurlTransfer {
        Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    }

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// One header line (the status line, a field, or the blank line that ends a block). Returns
    /// the bytes taken, as libcurl wants.
    func header(_ bytes: UnsafeRawBufferPointer) -> Int {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new block: after a 100 Continue, or the reply of a redirect's target.
            status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            headers = [:]
        } else if line.isEmpty {
            endOfHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        return bytes.count
    }

    private func endOfHeaders() {
        guard status >= 200, !finished else { return }
        if Self.redirectStatuses.contains(status), let location = headers["location"], redirects < Self.maxRedirects {
            redirectTarget = location
            return
        }
        continuation.yield(.head(status: status, headers: headers))
    }

    /// Body bytes; returning less than given makes libcurl abort the transfer.
    func body(_ bytes: UnsafeRawBufferPointer) -> Int {
        if redirectTarget != nil { return bytes.count }
        guard !finished else { return 0 }
        let before = received
        received += bytes.count
        if (200..<300).contains(status) {
            guard received > limits.success else {
                continuation.yield(.body(Data(bytes)))
                return bytes.count
            }
            finish(throwing: LMError.replyTooLarge(limit: limits.success))
            return 0
        }
        if before < limits.error { continuation.yield(.body(Data(bytes.prefix(limits.error - before)))) }
        guard received < limits.error else {
            finish()
            return 0
        }
        return bytes.count
    }

    /// The request that follows the redirect being followed, or nil when there is none. A 303, and
    /// a 301 or 302 answering a POST, become a GET without a body (as browsers and URLSession do);
    /// a 307 or 308 repeats the method and body. Another origin gets no credentials.
    func takeRedirect() -> URLRequest? {
        guard let target = redirectTarget, let url = URL(string: target, relativeTo: request.url)?.absoluteURL else { return nil }
        var next = request
        next.url = url
        if status == 303 || ([301, 302].contains(status) && next.httpMethod == "POST") {
            next.httpMethod = "GET"
            next.httpBody = nil
        }
        next = CrossOriginRedirect.request(next, from: originalURL)
        request = next
        redirects += 1
        redirectTarget = nil
        status = 0
        headers = [:]
        received = 0
        return next
    }

    func finish(throwing error: (any Error)? = nil) {
        guard !finished else { return }
        finished = true
        continuation.finish(throwing: error)
    }
}
