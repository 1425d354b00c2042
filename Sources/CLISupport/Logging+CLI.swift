import Foundation
import Logging

public enum CLILogging {
    /// swift-log to stderr; the level comes from `RLMD_LOG_LEVEL` (default `warning`).
    public static func bootstrapForCLI() {
        let level = ProcessInfo.processInfo.environment["RLMD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
