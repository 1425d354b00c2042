#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls `body` with NUL-terminated C copies of `strings` followed by a null pointer, the shape of
/// `posix_spawn`'s `argv` and `envp`; the copies are freed when `body` returns.
public func withCStringArray<Result>(_ strings: [String],
                                     _ body: ([UnsafeMutablePointer<CChar>?]) throws -> Result) rethrows -> Result {
    let copies = strings.map { strdup($0) } + [nil]
    defer { copies.forEach { free($0) } }
    return try body(copies)
}

/// `environment` as the `NAME=value` strings of an `envp`.
public func environmentStrings(_ environment: [String: String]) -> [String] {
    environment.map { "\($0.key)=\($0.value)" }
}
