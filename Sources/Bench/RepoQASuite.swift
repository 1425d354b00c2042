import Foundation

/// Questions with reference answers about one repository (optionally at a commit): a JSON Lines file
/// of `{"question", "answer", "files"?}`. Answers are graded by an LLM judge (`Judge`).
public struct RepoQASuite: Sendable {
    public struct Item: Sendable, Codable, Equatable {
        public var question: String
        public var answer: String
        public var files: [String]?
    }

    public var items: [Item]
    public var repository: String
    public var commit: String?

    public init(items: [Item], repository: String, commit: String? = nil) {
        self.items = items
        self.repository = repository
        self.commit = commit
    }

    public static func load(questions path: String, repository: String, commit: String?) throws -> RepoQASuite {
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchError.input("cannot read \(path)") }
        var items: [Item] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                items.append(try JSONDecoder().decode(Item.self, from: Data(line.utf8)))
            } catch {
                throw BenchError.input("\(path):\(number + 1): not {\"question\", \"answer\", \"files\"?}: \(error)")
            }
        }
        guard !items.isEmpty else { throw BenchError.input("\(path) holds no questions") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repository, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BenchError.input("\(repository) is not a folder")
        }
        return RepoQASuite(items: items, repository: repository, commit: commit)
    }

    /// The repository as one context (exported at `commit` into `folder` first, when one is named).
    public func plan(exportTo folder: String) -> BenchContext.Plan {
        let name = "repoqa-" + ((repository as NSString).lastPathComponent) + (commit.map { "-" + $0.prefix(12) } ?? "")
        return BenchContext.Plan(name: name, tokens: 0) {
            var root = repository
            if let commit {
                root = folder + "/export"
                try Self.export(repository, commit: commit, to: root)
            }
            let tasks = items.enumerated().map { index, item in
                BenchTask(id: "\(name)-q\(index)", suite: "repoqa", kind: "repoqa", context: name, contextTokens: 0,
                          question: item.question, format: nil, reference: .judged(answer: item.answer, files: item.files ?? []))
            }
            return .init(context: BenchContext(name: name, directory: root), tasks: tasks)
        }
    }

    /// `git archive COMMIT | tar -x`: the tree at that commit, leaving the repository untouched.
    static func export(_ repository: String, commit: String, to folder: String) throws {
        if FileManager.default.fileExists(atPath: folder + "/.rlmd-export-" + commit) { return }
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "git -C \"$1\" archive --format=tar \"$2\" | tar -x -C \"$3\"", "export", repository, commit, folder]
        try shell.run()
        shell.waitUntilExit()
        guard shell.terminationStatus == 0 else { throw BenchError.input("cannot export \(commit) of \(repository) (git archive failed)") }
        _ = FileManager.default.createFile(atPath: folder + "/.rlmd-export-" + commit, contents: Data())
    }
}
