/// A language name from a file's extension or well-known name; nil when unknown.
public enum Language {
    public static func of(path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if let known = byName[name] { return known }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return byExtension[name[name.index(after: dot)...].lowercased()]
    }

    private static let byName: [String: String] = [
        "Makefile": "make", "GNUmakefile": "make", "Dockerfile": "dockerfile", "CMakeLists.txt": "cmake",
        "Package.swift": "swift", "Gemfile": "ruby", "Rakefile": "ruby", "BUILD": "starlark", "WORKSPACE": "starlark",
    ]

    private static let byExtension: [String: String] = [
        "swift": "swift", "py": "python", "pyi": "python", "pyx": "cython", "rs": "rust", "go": "go",
        "c": "c", "h": "c", "cc": "cpp", "cpp": "cpp", "cxx": "cpp", "hpp": "cpp", "hh": "cpp", "m": "objective-c",
        "mm": "objective-cpp", "java": "java", "kt": "kotlin", "kts": "kotlin", "scala": "scala", "cs": "csharp",
        "js": "javascript", "mjs": "javascript", "cjs": "javascript", "jsx": "javascript", "ts": "typescript",
        "tsx": "typescript", "rb": "ruby", "php": "php", "pl": "perl", "pm": "perl", "lua": "lua", "sh": "shell",
        "bash": "shell", "zsh": "shell", "fish": "fish", "ps1": "powershell", "r": "r", "jl": "julia",
        "hs": "haskell", "ml": "ocaml", "mli": "ocaml", "ex": "elixir", "exs": "elixir", "erl": "erlang",
        "clj": "clojure", "el": "emacs-lisp", "lisp": "lisp", "scm": "scheme", "dart": "dart", "zig": "zig",
        "nim": "nim", "vim": "vim", "sql": "sql", "html": "html", "htm": "html", "css": "css", "scss": "scss",
        "less": "less", "vue": "vue", "svelte": "svelte", "json": "json", "jsonl": "jsonl", "yaml": "yaml",
        "yml": "yaml", "toml": "toml", "ini": "ini", "cfg": "ini", "xml": "xml", "md": "markdown",
        "markdown": "markdown", "rst": "restructuredtext", "txt": "text", "tex": "latex", "proto": "protobuf",
        "graphql": "graphql", "tf": "terraform", "nix": "nix", "cmake": "cmake", "mk": "make", "gradle": "groovy",
        "groovy": "groovy", "bat": "batch", "asm": "assembly", "s": "assembly", "v": "verilog", "vhd": "vhdl",
        "f90": "fortran", "f": "fortran", "ada": "ada", "adb": "ada", "ads": "ada", "cob": "cobol",
    ]
}
