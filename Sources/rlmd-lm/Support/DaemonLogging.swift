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

    final class LogFile: TextOutputStream, @unchecked Sendable {  // `handle` is only written under `lock`
        private let handle: FileHandle
        private let lock = NSLock()

        /// Opened with O_APPEND: several daemons (one per workspace) write to the same file, and
        /// each write must land at its end, not at an offset remembered from opening it.
        init?(path: String) {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { return nil }
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }

        func write(_ string: String) {
            lock.withLock { handle.write(Data(string.utf8)) }
        }
    }
}
