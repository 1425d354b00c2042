import Logging

extension SessionImporter {
    /// Imports what is new in `file` and opens a snapshot to ask questions of. The import leaves
    /// the search index behind (`SearchIndexing.deferred`); it catches up on a thread of its own
    /// meanwhile, so a question's first `search` rarely waits for it.
    public static func refreshedSnapshot(file: String, expected: SessionFormat? = nil, location: StoreLocation? = nil,
                                         logger: Logger) throws -> ContextSnapshot {
        let report = try refresh(file: file, expected: expected, location: location, logger: logger)
        let store = StoreLocation(directory: report.store)
        if report.searchPending { SearchCatchUp.startInBackground(store, logger: logger) }
        return try ContextSnapshot.open(store)
    }
}
