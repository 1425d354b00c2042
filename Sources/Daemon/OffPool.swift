import Foundation

/// Runs blocking work (an index refresh, a session import) on a thread of its own, so the
/// concurrency pool — two threads on a two-core machine — keeps answering requests meanwhile.
enum OffPool {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
