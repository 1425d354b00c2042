import Foundation

/// Runs blocking work (an index refresh, a session import, a search that waits for its index to
/// catch up) on a thread of its own, so the concurrency pool — two threads on a two-core
/// machine — keeps answering requests meanwhile.
public enum OffPool {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
