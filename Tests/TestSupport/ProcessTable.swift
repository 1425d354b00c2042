import Foundation

/// The machine's running processes, read from /proc.
public enum ProcessTable {
    /// Command lines (arguments joined by spaces) that contain `marker`.
    public static func commandLines(containing marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.first?.isNumber == true }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(marker) ? line : nil
        }
    }
}
