import Foundation
import Testing
import TestSupport
@testable import ContextStore

@Suite struct ScannerTests {
    @Test func gitIsOnlyAskedWhereAGitFolderOrFileExists() throws {
        let plain = try Fixture()
        try plain.write("a.txt", "a\n")
        #expect(!WorkspaceLocator.mayBeInGitWorkTree(plain.root, environment: [:]))
        #expect(WorkspaceLocator.mayBeInGitWorkTree(plain.root, environment: ["GIT_DIR": "/elsewhere"]))
        try plain.write("sub/.git", "gitdir: /somewhere/else\n")  // a worktree or submodule has a .git file
        #expect(WorkspaceLocator.mayBeInGitWorkTree(plain.root + "/sub", environment: [:]))
        guard Fixture.hasGit else { return }
        let repository = try Fixture(git: true)
        try repository.write("deep/er/x.txt", "x\n")
        #expect(WorkspaceLocator.mayBeInGitWorkTree(repository.root + "/deep/er", environment: [:]))
    }

    /// A tree exercising nested ignore files, negation, `dir/`, anchored `/x`, `**`, hidden files.
    static func buildIgnoreTree(_ fixture: Fixture) throws {
        try fixture.write(".gitignore", """
            # build output
            *.log
            !keep.log
            /anchored.txt
            build/
            docs/**/*.tmp
            **/cache
            secret?.txt
            [Tt]humbs.db
            trailing.txt   
            vendor/*
            !vendor/keep/
            """)
        for path in [
            "a.log", "keep.log", "sub/b.log", "sub/keep.log", "anchored.txt", "sub/anchored.txt",
            "build/out.o", "sub/build/x.o", "buildfile", "docs/a/b/c.tmp", "docs/c.tmp", "docs/readme.md",
            "x/cache/y.txt", "cache/z.txt", "secret1.txt", "secret12.txt", "Thumbs.db", "thumbs.db",
            "trailing.txt", ".hidden", ".config/settings.json", "vendor/lib.c", "vendor/keep/k.c",
            "dir with space/file é.txt", "nested/.gitignore", "nested/drop.me", "nested/deeper/drop.me",
            "nested/deeper/keep.me", "nested/deeper/.gitignore", "src/main.swift",
        ] {
            try fixture.write(path, "content of \(path)\n")
        }
        try fixture.write("nested/.gitignore", "*.me\n")
        try fixture.write("nested/deeper/.gitignore", "!keep.me\n")
    }

    @Test func walkerListsWhatGitWouldList() throws {
        guard Fixture.hasGit else { return }
        let plain = try Fixture()
        try Self.buildIgnoreTree(plain)
        let ours = Set(WorkspaceScanner.list(root: plain.root).files.map(\.path))

        let repository = try Fixture(git: true)
        try Self.buildIgnoreTree(repository)
        let listed = try repository.runGit("ls-files", "-z", "--cached", "--others", "--exclude-standard")
        let gits = Set(listed.split(separator: "\0").map(String.init))
        #expect(!ours.isEmpty)
        #expect(ours == gits, "only ours: \(ours.subtracting(gits)), only git's: \(gits.subtracting(ours))")
        #expect(ours.contains("keep.log") && ours.contains("vendor/keep/k.c") && ours.contains(".hidden"))
        #expect(!ours.contains("sub/build/x.o") && !ours.contains("docs/a/b/c.tmp"))
    }

    @Test func rlmIgnoreAppliesInsideAndOutsideGit() throws {
        for useGit in [false, true] {
            if useGit && !Fixture.hasGit { continue }
            let fixture = try Fixture(git: useGit)
            try fixture.write(".rlmignore", "generated/\n*.snap\n")
            try fixture.write("generated/big.txt", "x")
            try fixture.write("tests/a.snap", "x")
            try fixture.write("tests/a.swift", "x")
            let listing = WorkspaceScanner.list(root: fixture.root)
            let paths = Set(listing.files.map(\.path))
            #expect(paths == [".rlmignore", "tests/a.swift"], "git: \(useGit)")
            #expect(listing.usedGit == useGit)
            #expect((listing.skipped[.ignored] ?? 0) >= 2)
        }
    }

    @Test func symlinksAreNeverFollowed() throws {
        let outside = try Fixture()
        try outside.write("secret.txt", "outside the root\n")
        let fixture = try Fixture()
        try fixture.write("real.txt", "inside\n")
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/link.txt", withDestinationPath: outside.root + "/secret.txt")
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/linkdir", withDestinationPath: outside.root)
        let listing = WorkspaceScanner.list(root: fixture.root)
        #expect(listing.files.map(\.path) == ["real.txt"])
        #expect(listing.skipped[.symlink] == 2)
    }
}
