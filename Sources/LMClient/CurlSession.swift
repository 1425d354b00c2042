import CCurl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Every request to a provider goes through one libcurl multi handle, driven by one thread that
/// sleeps in `curl_multi_poll` until a socket is ready, a request arrives or is cancelled. It
/// replaced URLSession, which on Linux watches a transfer's socket with libdispatch sources, adds a
/// write source when libcurl asks for writability (to connect or send) and never removes it: the
/// always-writable socket then fired nonstop and waiting for a model cost a core (98 %, ~38k
/// syscalls/s while a reply took 12 s; `benchmarks/lm_wait_bench.py`). The multi handle keeps
/// connections open and reuses them across calls.
final class CurlSession: @unchecked Sendable {  // `arriving`/`leaving` under `lock`; the rest loop thread only
    static let shared = CurlSession()

    /// Set once in `init`, then used only on the loop thread, except `curl_multi_wakeup` (thread-safe).
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    /// Under `lock`: what the loop takes on its next turn.
    private var arriving: [CurlTransfer] = []
    private var leaving: [CurlTransfer] = []
    /// Loop thread only: the transfers in the multi handle, by their easy handle.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    private init() {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        multi = curl_multi_init()
        _ = rlmd_curl_multi_long(multi, CURLMOPT_MAXCONNECTS, 64)
        let thread = Thread { [self] in loop() }
        thread.name = "rlmd-http"
        thread.start()
    }

    /// Streams `request`: its head, then body parts as they arrive, held to `limits`. Ending or
    /// cancelling the consuming loop cancels the transfer.
    func stream(_ request: URLRequest, limits: BodyLimits) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        let (stream, continuation) = AsyncThrowingStream<HTTPStreamPart, any Error>.makeStream()
        let transfer = CurlTransfer(request: request, limits: limits, continuation: continuation)
        continuation.onTermination = { [self] _ in
            lock.withLock { leaving.append(transfer) }
            curl_multi_wakeup(multi)
        }
        lock.withLock { arriving.append(transfer) }
        curl_multi_wakeup(multi)
        return stream
    }

    private func loop() {
        var active: Int32 = 0
        while true {
            let (starting, stopping) = lock.withLock {
                defer { arriving = []; leaving = [] }
                return (arriving, leaving)
            }
            for transfer in starting { start(transfer) }
            for transfer in stopping { abandon(transfer) }
            curl_multi_perform(multi, &active)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ transfer: CurlTransfer) {
        guard !transfer.finished else { return }
        guard let easy = curl_easy_init() else {
            transfer.finish(throwing: LMError.transport("libcurl could not start a transfer"))
            return
        }
        transfer.easy = easy
        do {
            try CurlRequestSetup.apply(transfer.request, to: easy, for: transfer)
        } catch {
            release(transfer)
            transfer.finish(throwing: error)
            return
        }
        running[easy] = transfer
        curl_multi_add_handle(multi, easy)
    }

    /// A cancelled transfer, or one whose stream already ended (then it is no longer running).
    private func abandon(_ transfer: CurlTransfer) {
        transfer.finished = true
        guard let easy = transfer.easy, running.removeValue(forKey: easy) != nil else { return }
        curl_multi_remove_handle(multi, easy)
        release(transfer)
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = running.removeValue(forKey: easy) else { continue }
            let code = message.pointee.data.result
            let reason = String(cString: transfer.errorText)
            curl_multi_remove_handle(multi, easy)
            release(transfer)
            if transfer.finished { continue }
            if code == CURLE_OK {
                if transfer.takeRedirect() != nil { start(transfer) } else { transfer.finish() }
            } else if code == CURLE_OPERATION_TIMEDOUT {
                transfer.finish(throwing: LMError.timeout(transfer.request.timeoutInterval))
            } else {
                transfer.finish(throwing: LMError.transport(reason.isEmpty ? String(cString: curl_easy_strerror(code)) : reason))
            }
        }
    }

    private func release(_ transfer: CurlTransfer) {
        curl_easy_cleanup(transfer.easy)
        transfer.easy = nil
        curl_slist_free_all(transfer.headerList)
        transfer.headerList = nil
    }
}
