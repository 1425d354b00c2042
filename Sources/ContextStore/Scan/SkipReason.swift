/// Why a listed path did not become a document. Raw values are the keys of `rlmd index --json`'s `skipped`.
public enum SkipReason: String, Sendable, CaseIterable, Codable {
    /// A NUL byte in the first 8 KiB.
    case binary
    /// Larger than the size cap.
    case tooLarge = "too_large"
    /// Excluded by `.gitignore` (outside git), git's exclude rules, or `.rlmignore`. An ignored
    /// directory counts once, as `git ls-files --directory` reports it.
    case ignored
    /// Never followed, so nothing outside the root can be read through one.
    case symlink
    /// Sockets, FIFOs, devices, submodules and nested repositories.
    case notRegular = "not_regular"
    /// Permission denied or another read error.
    case unreadable
    /// Listed, then gone before it could be read.
    case vanished
}
