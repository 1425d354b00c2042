import Foundation
import RLMSupport

/// Writes to stdout and stderr that survive a reader going away. The REPL sets SIGPIPE to be
/// ignored (a sandbox that dies must not kill rlmd), so a closed pipe shows up here as EPIPE:
/// the command then ends as quietly as the signal would have ended it.
public enum StandardStreams {
    public static func out(_ text: String) { write(text, to: STDOUT_FILENO) }
    public static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        let written = text.withUTF8 { DescriptorIO.writeAll(fd, UnsafeRawBufferPointer($0)) }
        if !written && errno == EPIPE { exit(128 + SIGPIPE) }
    }
}
