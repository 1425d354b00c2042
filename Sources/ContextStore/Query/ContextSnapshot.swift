import Foundation
import GRDB

/// A position in the context resolved to a document: 1-based line and column (in chars).
/// Offsets inside a record's header line resolve to line 0, column 0.
public struct ContextLocation: Sendable, Equatable, Codable {
    public var path: String
    public var line: Int
    public var column: Int
}

/// A consistent, read-only view of a store: the documents of one committed transaction and
/// the memory-mapped context file they point into. Refreshes running meanwhile do not change it.
public final class ContextSnapshot: Sendable {
    public let root: String
    public let location: StoreLocation
    /// In context order.
    public let documents: [Document]
    public let totalChars: Int
    /// Committed bytes of the context file the documents point into.
    public var contextBytes: Int { file.bytes.count }
    /// An open descriptor of the context file, valid while the snapshot lives.
    public var contextFileDescriptor: Int32 { file.descriptor }
    /// The context file, mapped.
    public var contextFile: MappedFile { file }
    let file: MappedFile
    let searchShards: SearchShardReaders
    private let indexByPath: [String: Int]
    private let indexByID: [Int64: Int]

    public static func open(_ location: StoreLocation) throws(StoreError) -> ContextSnapshot {
        let pool = try StoreDatabase.openForReading(location)
        // A compaction can commit and unlink the file between our read and our mmap; read again then.
        var attempt = 0
        while true {
            attempt += 1
            do {
                let (meta, documents) = try pool.read { db in
                    (try StoreMeta.load(db), try Document.fetchAllInContextOrder(db))
                }
                let file = try MappedFile(path: location.contextFilePath(generation: meta.generation), length: meta.contextBytes)
                return ContextSnapshot(root: meta.root ?? "", location: location, documents: documents,
                                       totalChars: meta.totalChars, file: file,
                                       searchNeedsCatchUp: SearchCatchUp.isNeeded(meta, location))
            } catch let error as StoreError {
                if attempt >= 3 { throw error }
            } catch {
                throw .damaged(path: location.databasePath, reason: StoreDatabase.describe(error))
            }
        }
    }

    private init(root: String, location: StoreLocation, documents: [Document], totalChars: Int, file: MappedFile,
                 searchNeedsCatchUp: Bool) {
        self.root = root
        self.location = location
        self.documents = documents
        self.totalChars = totalChars
        self.file = file
        searchShards = SearchShardReaders(location: location, needsCatchUp: searchNeedsCatchUp)
        var byPath = [String: Int](minimumCapacity: documents.count)
        var byID = [Int64: Int](minimumCapacity: documents.count)
        for (index, document) in documents.enumerated() {
            byPath[document.path] = index
            byID[document.id] = index
        }
        indexByPath = byPath
        indexByID = byID
    }

    public func document(path: String) -> Document? {
        indexByPath[path].map { documents[$0] }
    }

    func document(id: Int64) -> Document? {
        indexByID[id].map { documents[$0] }
    }

    /// The content bytes of a document (valid UTF-8), straight from the mapping.
    public func content(of document: Document) -> UnsafeRawBufferPointer {
        file[document.byteOffset..<(document.byteOffset + document.byteLength)]
    }

    public func text(of document: Document) -> String {
        String(decoding: content(of: document), as: UTF8.self)
    }

    /// The logical context's chars in `range`, clamped to its bounds.
    public func slice(chars range: Range<Int>) -> String {
        let lower = max(0, range.lowerBound), upper = min(totalChars, range.upperBound)
        guard lower < upper, var index = recordIndex(containingChar: lower) else { return "" }
        var out = [UInt8]()
        out.reserveCapacity((upper - lower) + 16)
        while index < documents.count {
            let document = documents[index]
            let start = document.recordCharOffset
            if start >= upper { break }
            let record = file[document.recordOffset..<(document.recordOffset + document.recordBytes)]
            let from = max(lower, start) - start, to = min(upper, document.charEnd) - start
            if document.isASCII {
                out.append(contentsOf: record[from..<to])
            } else {
                let fromByte = UTF8Offsets.byteOffset(ofChar: from, in: record)
                let rest = UnsafeRawBufferPointer(rebasing: record[fromByte...])
                let toByte = fromByte + UTF8Offsets.byteOffset(ofChar: to - from, in: rest)
                out.append(contentsOf: record[fromByte..<toByte])
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Index of the document whose record contains `char`.
    func recordIndex(containingChar char: Int) -> Int? {
        var low = 0, high = documents.count
        while low < high {
            let mid = (low + high) / 2
            if documents[mid].charEnd <= char { low = mid + 1 } else { high = mid }
        }
        return low < documents.count ? low : nil
    }

    /// Lines `startLine...endLine` (1-based, inclusive; `endLine` clamped to the file) exactly
    /// as stored, including their line terminators.
    public func lines(path: String, startLine: Int? = nil, endLine: Int? = nil) throws(StoreError) -> String {
        guard let document = document(path: path) else { throw .unknownPath(path) }
        let start = startLine ?? 1
        let end = min(endLine ?? document.lineCount, document.lineCount)
        guard start >= 1, start <= max(document.lineCount, 1), end >= start || document.lineCount == 0 else {
            throw .lineOutOfRange(path: path, lines: document.lineCount, requested: start...max(start, endLine ?? start))
        }
        let content = content(of: document)
        let from = LineIndex.byteOffset(ofLine: start, in: content)
        let to = LineIndex.byteOffset(ofLine: end + 1, in: content)
        return String(decoding: content[from..<to], as: UTF8.self)
    }

    /// The document, line and column of a char offset in the logical context.
    public func location(ofChar offset: Int) throws(StoreError) -> ContextLocation {
        guard offset >= 0, offset < totalChars, let index = recordIndex(containingChar: offset) else {
            throw .offsetOutOfRange(offset: offset, length: totalChars)
        }
        let document = documents[index]
        guard offset >= document.charOffset else { return ContextLocation(path: document.path, line: 0, column: 0) }
        let content = content(of: document)
        let charInContent = min(offset - document.charOffset, document.charLength)
        let byte = document.isASCII ? charInContent : UTF8Offsets.byteOffset(ofChar: charInContent, in: content)
        let (line, lineStart) = LineIndex.line(containingByte: byte, in: content)
        let column = UTF8Offsets.charCount(UnsafeRawBufferPointer(rebasing: content[lineStart..<byte])) + 1
        return ContextLocation(path: document.path, line: line, column: column)
    }

    /// The char offset in the logical context of `path:line:column` (1-based; column in chars).
    public func charOffset(path: String, line: Int, column: Int = 1) throws(StoreError) -> Int {
        guard let document = document(path: path) else { throw .unknownPath(path) }
        guard line >= 1, line <= max(document.lineCount, 1) else {
            throw .lineOutOfRange(path: path, lines: document.lineCount, requested: line...line)
        }
        let content = content(of: document)
        let lineStart = LineIndex.byteOffset(ofLine: line, in: content)
        let lineEnd = LineIndex.byteOffset(ofLine: line + 1, in: content)
        let lineBytes = UnsafeRawBufferPointer(rebasing: content[lineStart..<lineEnd])
        let byte = lineStart + UTF8Offsets.byteOffset(ofChar: max(0, column - 1), in: lineBytes)
        let before = UnsafeRawBufferPointer(rebasing: content[0..<byte])
        return document.charOffset + (document.isASCII ? byte : UTF8Offsets.charCount(before))
    }
}
