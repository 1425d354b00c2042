import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What a redirect may carry. A followed redirect repeats the request's headers, the API key among
/// them; one to another scheme, host or port loses the credentials (as browsers do).
enum CrossOriginRedirect {
    static let credentialHeaders = ["Authorization", "Proxy-Authorization", "x-api-key", "api-key", "Cookie"]

    static func request(_ request: URLRequest, from original: URL?) -> URLRequest {
        guard let original, let target = request.url, !sameOrigin(original, target) else { return request }
        var stripped = request
        for name in credentialHeaders { stripped.setValue(nil, forHTTPHeaderField: name) }
        return stripped
    }

    static func sameOrigin(_ first: URL, _ second: URL) -> Bool {
        origin(first) == origin(second)
    }

    private static func origin(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
    }
}
