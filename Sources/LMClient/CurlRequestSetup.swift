import CCurl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Puts a `URLRequest` on a libcurl easy handle: URL, method, body, headers, timeouts and the
/// callbacks that hand the reply to its `CurlTransfer`.
enum CurlRequestSetup {
    static func apply(_ request: URLRequest, to easy: UnsafeMutableRawPointer, for transfer: CurlTransfer) throws(LMError) {
        guard let url = request.url?.absoluteString, ["http", "https"].contains(request.url?.scheme?.lowercased() ?? "") else {
            throw .transport("not an http(s) URL: \(request.url?.absoluteString ?? "none")")
        }
        var failed = false
        func check(_ code: CURLcode) { if code != CURLE_OK { failed = true } }

        check(rlmd_curl_easy_string(easy, CURLOPT_URL, url))
        check(rlmd_curl_easy_long(easy, CURLOPT_NOSIGNAL, 1))
        check(rlmd_curl_easy_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        check(rlmd_curl_easy_string(easy, CURLOPT_ACCEPT_ENCODING, ""))
        check(rlmd_curl_easy_string(easy, CURLOPT_USERAGENT, "rlmd"))
        transfer.errorText.pointee = 0
        check(rlmd_curl_easy_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorText))

        // URLSession's timeoutInterval is an idle timeout: so is this (under 1 byte/s that long).
        let seconds = max(1, Int(request.timeoutInterval.rounded(.up)))
        check(rlmd_curl_easy_long(easy, CURLOPT_CONNECTTIMEOUT, seconds))
        check(rlmd_curl_easy_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1))
        check(rlmd_curl_easy_long(easy, CURLOPT_LOW_SPEED_TIME, seconds))

        switch request.httpMethod ?? "GET" {
        case "GET": check(rlmd_curl_easy_long(easy, CURLOPT_HTTPGET, 1))
        case "HEAD": check(rlmd_curl_easy_long(easy, CURLOPT_NOBODY, 1))
        case let method:
            if method != "POST" { check(rlmd_curl_easy_string(easy, CURLOPT_CUSTOMREQUEST, method)) }
            // COPYPOSTFIELDS copies the bytes (NUL bytes included: the size is set first).
            var body = [UInt8](request.httpBody ?? Data())
            check(rlmd_curl_easy_size(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            body.append(0)  // so that an empty body has an address too
            check(rlmd_curl_easy_pointer(easy, CURLOPT_COPYPOSTFIELDS, &body))
        }

        // "Expect:" drops the 100-continue round trip libcurl adds before large bodies.
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        for (name, value) in request.allHTTPHeaderFields ?? [:] {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        transfer.headerList = list
        check(rlmd_curl_easy_pointer(easy, CURLOPT_HTTPHEADER, list))

        check(rlmd_curl_easy_pointer(easy, CURLOPT_HEADERDATA, transfer.context))
        check(rlmd_curl_easy_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            CurlTransfer.from(context).header(UnsafeRawBufferPointer(start: data, count: size * count))
        })
        check(rlmd_curl_easy_pointer(easy, CURLOPT_WRITEDATA, transfer.context))
        check(rlmd_curl_easy_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            CurlTransfer.from(context).body(UnsafeRawBufferPointer(start: data, count: size * count))
        })
        if failed { throw .transport("libcurl refused the request's options") }
    }
}
