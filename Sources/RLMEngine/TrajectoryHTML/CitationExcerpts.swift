import ContextStore
import Foundation

/// The lines a citation names, read back from the index the question ran on.
public struct CitationExcerpt: Sendable, Equatable {
    public var firstLine: Int
    public var lines: [String]
    /// Lines of the cited range left out (a long range shows its first `shownLines`).
    public var moreLines: Int

    public init(firstLine: Int, lines: [String], moreLines: Int = 0) {
        self.firstLine = firstLine
        self.lines = lines
        self.moreLines = moreLines
    }

    static let shownLines = 40

    /// One excerpt per citation (nil for unresolved ones and lines the index no longer has).
    public static func read(_ citations: [Citation], from snapshot: ContextSnapshot) -> [CitationExcerpt?] {
        citations.map { citation in
            guard citation.resolved, citation.startLine >= 1 else { return nil }
            let last = min(citation.endLine, citation.startLine + shownLines - 1)
            guard let text = try? snapshot.lines(path: citation.path, startLine: citation.startLine, endLine: last) else { return nil }
            let lines = (text.hasSuffix("\n") ? text.dropLast() : Substring(text))
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return CitationExcerpt(firstLine: citation.startLine, lines: lines, moreLines: max(0, citation.endLine - last))
        }
    }
}

extension TrajectoryPage {
    /// The page of a saved trajectory, its cited lines read from the index it ran on: the store it
    /// recorded, or (for trajectories saved before stores were recorded) the default store of its
    /// workspace or session file. A store that cannot be opened leaves a note instead of lines.
    public static func forSaved(_ trajectory: Trajectory,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> TrajectoryPage {
        guard !trajectory.citations.isEmpty else { return TrajectoryPage(trajectory: trajectory) }
        let location: StoreLocation? = if let store = trajectory.store {
            StoreLocation(directory: store)
        } else {
            switch trajectory.kind {
            case "repository": StoreLocation.forWorkspace(root: trajectory.root, environment: environment)
            case "session": StoreLocation.forSession(file: trajectory.root, environment: environment)
            default: nil
            }
        }
        guard let location else {
            return TrajectoryPage(trajectory: trajectory, excerptsNote: "this context was plain text, not an index: no lines to show")
        }
        do {
            let snapshot = try ContextSnapshot.open(location)
            return TrajectoryPage(trajectory: trajectory, excerpts: CitationExcerpt.read(trajectory.citations, from: snapshot),
                                  excerptsNote: "Lines as the index holds them now.")
        } catch {
            return TrajectoryPage(trajectory: trajectory, excerptsNote: "the index at \(location.directory) could not be read: \(error)")
        }
    }
}
