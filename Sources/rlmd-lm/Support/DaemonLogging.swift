import Foundation
import Logging
import RLMEngine

/// The daemon logs to stderr and appends to `$XDG_STATE_HOME/rlmd/rlmd.log`.
enum DaemonLogging {
    static func bootstrap(level: Logger.Level) {
        let path = (TrajectoryStore.defaultPath() as NSString).deletingLastPathComponent + "/rlmd.log"
        let file = LogFile(path: path)
        LoggingSystem.bootstrap { label in
            var standardError = StreamLogHandler.standardError(label: label)
            standardError.logLevel = level
            guard let file else { return standardError }
            var toFile = StreamLogHandler(label: label, stream: file)
            toFile.logLevel = level
            return MultiplexLogHandler([standardError, toFile])
        }
    }

    final class LogFile: TextOutputStream, @unchecked Sendable {
        private let handle: FileHandle
        private let lock = NSLock()

        init?(path: String) {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
            handle.seekToEndOfFile()
            self.handle = handle
        }

        func write(_ string: String) {
            lock.withLock { handle.write(Data(string.utf8)) }
        }
    }
}
