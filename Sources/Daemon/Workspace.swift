import ContextStore
import Foundation
import LMClient
import Logging
import REPL
import RLMSupport

/// The daemon's workspace: its root, the index built in the background after `initialize`, and
/// refreshes when files change. Asks wait for the current build.
actor Workspace {
    /// Where the index stands, as `rlm/status` reports it (`index`).
    enum IndexPhase: String { case building, ready, failed }

    let root: String
    let location: StoreLocation
    private(set) var phase = IndexPhase.building
    private(set) var lastError: String?
    private(set) var files: Int?
    private var current: Task<IndexReport, Error>?
    private var refreshAgain = false
    private let logger: Logger
    /// The REPLs' `exactText`: then a non-ASCII snapshot is built from its records and needs no copy.
    private let exactText: Bool
    private var preparing = false, prepareAgain = false, builds = 0
    /// Saves come in runs: a copy (100-200 MB written for a 100 MB workspace) is made once the builds
    /// have been quiet this long, not once per save.
    private static let quietPeriod: Duration = .seconds(2)

    /// `exactText`: `initializationOptions.sandbox.exactText`, else the config file's `[sandbox] exact_text`.
    init(root: String, environment: [String: String], exactText: Bool? = nil, logger: Logger) {
        self.root = root
        location = StoreLocation.forWorkspace(root: root, environment: environment)
        self.exactText = exactText ?? ((try? ConfigFile.load(environment: environment))?.sandbox?.exact_text ?? false)
        self.logger = logger
    }

    /// Phase, last error and file count in one hop (for `rlm/status`).
    func summary() -> (phase: String, error: String?, files: Int?) {
        (phase.rawValue, lastError, files)
    }

    /// Starts a refresh, or marks one to follow the running one (file events arrive in bursts).
    /// Returns the refresh it started, if it started one.
    @discardableResult
    func refresh(progress: (@Sendable (IndexProgress) -> Void)? = nil) -> Task<IndexReport, Error>? {
        if current != nil {
            refreshAgain = true
            return nil
        }
        phase = phase == .ready ? .ready : .building
        let root = root, location = location, logger = logger
        let task = Task {
            try await OffPool.run { try Indexer.refresh(root: root, location: location, options: IndexOptions(progress: progress), logger: logger) }
        }
        current = task
        Task { await self.finished(task) }
        return task
    }

    private func finished(_ task: Task<IndexReport, Error>) async {
        record(await task.result)
        current = nil
        if refreshAgain {
            refreshAgain = false
            refresh()
        }
    }

    /// What every refresh's outcome does to the phase `rlm/status` reports.
    private func record(_ result: Result<IndexReport, Error>) {
        switch result {
        case .success(let report):
            files = report.files
            phase = .ready
            lastError = nil
            prepareContextCopy()
        case .failure(let error):
            phase = .failed
            lastError = "\(error)"
            logger.error("index failed: \(error)")
        }
    }

    /// Makes the newest snapshot's copy in the background once no build has finished for
    /// `quietPeriod`: one at a time, later builds coalesced into one more (asks do not wait for it;
    /// a REPL starting meanwhile waits in `ContextCopy` rather than write it too).
    private func prepareContextCopy() {
        builds += 1
        guard !preparing else {
            prepareAgain = true
            return
        }
        preparing = true
        let location = location, logger = logger, exactText = exactText, seen = builds
        Task.detached(priority: .background) {
            try? await Task.sleep(for: Self.quietPeriod)
            if await self.builds == seen {
                await OffPool.run {
                    do {
                        try ReplContext.store(ContextSnapshot.open(location)).prepareCopy(exactText: exactText)
                    } catch {
                        logger.debug("no context copy made: \(error)")
                    }
                }
            }
            await self.preparedContextCopy()
        }
    }

    private func preparedContextCopy() {
        preparing = false
        if prepareAgain {
            prepareAgain = false
            prepareContextCopy()
        }
    }

    /// Waits for the running build (if any) and opens a snapshot.
    func snapshot() async throws -> ContextSnapshot {
        if let current { _ = try? await current.value }
        if phase == .failed { throw DaemonError.indexUnavailable(lastError ?? "the index could not be built") }
        do {
            return try ContextSnapshot.open(location)
        } catch {
            throw DaemonError.indexUnavailable("\(error)")
        }
    }

    /// A refresh now, waited for.
    func refreshNow() async throws -> IndexReport {
        if let current { _ = try? await current.value }
        let root = root, location = location, logger = logger
        do {
            let report = try await OffPool.run { try Indexer.refresh(root: root, location: location, logger: logger) }
            record(.success(report))
            return report
        } catch {
            record(.failure(error))
            throw DaemonError.indexUnavailable("\(error)")
        }
    }
}
