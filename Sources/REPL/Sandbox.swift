import ContextStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What isolation this machine offers the REPL, detected once per process by trying it.
public struct Sandbox: Sendable {
    public enum Mode: String, Sendable, Codable {
        /// bubblewrap: network, pid, IPC and UTS namespaces; read-only system folders; nothing
        /// else of the file system visible; as root, the sandbox runs as `nobody`.
        case bubblewrap
        /// `unshare`: no network, own pid namespace; the file system is the user's.
        case unshare
        case none
    }

    public var mode: Mode
    var bubblewrap: String?
    var unshare: String?
    let setpriv: String?
    let isRoot: Bool

    /// The unprivileged user the sandbox runs as when rlmd is root, so process limits hold.
    static let nobody: uid_t = 65534

    /// True once the tools were tried, not only found on PATH.
    public internal(set) var verified = false

    /// The strongest sandbox whose tools are on PATH, without running them: starting a REPL should not
    /// pay for three probe processes each time. `ReplProcess` calls `verify` when a start fails.
    public static func detect(_ isolation: ReplOptions.Isolation = .strongest) -> Sandbox {
        found.limited(to: isolation)
    }

    /// The strongest sandbox that works here, found by trying each (cached for the process).
    public static func verify(_ isolation: ReplOptions.Isolation = .strongest) -> Sandbox {
        tried.limited(to: isolation)
    }

    private func limited(to isolation: ReplOptions.Isolation) -> Sandbox {
        var sandbox = self
        switch isolation {
        case .strongest: break
        case .unshare: sandbox.mode = unshare != nil ? .unshare : .none
        case .none: sandbox.mode = .none
        }
        return sandbox
    }

    private static let found: Sandbox = {
        let bubblewrap = ProcessRunner.which("bwrap"), unshare = ProcessRunner.which("unshare")
        let mode: Mode = bubblewrap != nil ? .bubblewrap : unshare != nil ? .unshare : .none
        return Sandbox(mode: mode, bubblewrap: bubblewrap, unshare: unshare, setpriv: ProcessRunner.which("setpriv"), isRoot: geteuid() == 0)
    }()

    private static let tried: Sandbox = {
        var sandbox = found
        if let path = sandbox.bubblewrap {
            var argv = [path, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--dev", "/dev", "--proc", "/proc"]
            if !sandbox.isRoot { argv.append("--unshare-user") }
            if Probe.run(argv + ["true"]).status != 0 { sandbox.bubblewrap = nil }
        }
        if let path = sandbox.unshare, Probe.run([path] + unshareFlags(isRoot: sandbox.isRoot) + ["true"]).status != 0 {
            sandbox.unshare = nil
        }
        sandbox.mode = sandbox.bubblewrap != nil ? .bubblewrap : sandbox.unshare != nil ? .unshare : .none
        sandbox.verified = true
        return sandbox
    }()

    /// No network, and a pid namespace whose first process is Python: when it dies, everything
    /// it started dies too.
    private static func unshareFlags(isRoot: Bool) -> [String] {
        ["-n", "-p", "-f", "--kill-child"] + (isRoot ? [] : ["-r"])
    }

    /// The sandbox runs as `nobody` (root only, through bubblewrap and setpriv).
    var dropsPrivileges: Bool { mode == .bubblewrap && isRoot && setpriv != nil }

    /// The command line that runs `python runtime` under this sandbox.
    ///
    /// `scratch` holds the runtime and becomes the working directory (`/scratch` inside bubblewrap).
    /// `runtime` is the runtime script's file name in `scratch`.
    func command(python: PythonInstallation, scratch: String, runtime: String) -> (argv: [String], directory: String) {
        let interpreter = [python.executable, "-I", "-B", "-S"]  // -S: see _add_site_packages in the runtime
        switch mode {
        case .bubblewrap:
            var argv = [bubblewrap!, "--die-with-parent", "--new-session",
                        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
            if !isRoot { argv.append("--unshare-user") }
            for folder in ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc"] {
                argv += ["--ro-bind-try", folder, folder]
            }
            for prefix in python.prefixes where !prefix.hasPrefix("/usr/") {
                argv += ["--ro-bind", prefix, prefix]
            }
            argv += ["--bind", scratch, "/scratch", "--chdir", "/scratch",
                     "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
            if dropsPrivileges {
                argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", setpriv!,
                         "--reuid=\(Sandbox.nobody)", "--regid=\(Sandbox.nobody)", "--clear-groups", "--inh-caps=-all"]
            }
            return (argv + interpreter + ["/scratch/\(runtime)"], "/scratch")
        case .unshare:
            // unshare itself must die with rlmd (then --kill-child ends Python and the namespace).
            let dieWithParent = setpriv.map { [$0, "--pdeathsig", "KILL"] } ?? []
            return (dieWithParent + [unshare!] + Sandbox.unshareFlags(isRoot: isRoot) + ["--"] + interpreter
                    + ["\(scratch)/\(runtime)"], scratch)
        case .none:
            return (interpreter + ["\(scratch)/\(runtime)"], scratch)
        }
    }

    /// The environment model code sees: nothing inherited, so no key or token can leak.
    func environment(scratch: String) -> [String: String] {
        let home = mode == .bubblewrap ? "/scratch" : scratch
        return ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": mode == .bubblewrap ? "/tmp" : scratch,
                "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"]
    }

    /// One line per layer, for `rlmd doctor` and `rlmd exec --verbose`.
    public func layers(limits: ReplLimits = ReplLimits()) -> [SandboxLayer] {
        let processLimit: String
        if limits.processes == 0 {
            processLimit = "off"
        } else if isRoot && !dropsPrivileges {
            processLimit = "not enforced: root ignores RLIMIT_NPROC and the sandbox cannot switch to nobody without bubblewrap"
        } else {
            processLimit = "\(limits.processes) processes"
        }
        return [
            SandboxLayer(name: "environment", active: true, detail: "scrubbed: PATH, HOME, LANG only; no keys or tokens"),
            SandboxLayer(name: "scratch", active: true, detail: "private working directory, removed when the REPL closes"),
            SandboxLayer(name: "network", active: mode != .none,
                         detail: mode == .bubblewrap ? "none (bubblewrap network namespace)"
                             : mode == .unshare ? "none (unshare network namespace)"
                             : "NOT isolated: install bubblewrap (apt-get install bubblewrap) or util-linux unshare"),
            SandboxLayer(name: "filesystem", active: mode == .bubblewrap,
                         detail: mode == .bubblewrap ? "read-only system folders and python; home, keys and workspace invisible"
                             : "NOT isolated: model code sees the user's files (install bubblewrap)"),
            SandboxLayer(name: "user", active: !isRoot || dropsPrivileges,
                         detail: dropsPrivileges ? "nobody (uid \(Sandbox.nobody))" : isRoot ? "root (no bubblewrap)" : "the invoking user"),
            SandboxLayer(name: "rlimits", active: true,
                         detail: "address space \(limits.addressSpaceBytes >> 20) MiB, CPU \(limits.cpuSeconds) s, "
                             + "file size \(limits.fileSizeBytes >> 20) MiB, \(processLimit)"),
            SandboxLayer(name: "memory", active: limits.treeMemoryBytes != 0,
                         detail: limits.treeMemoryBytes == 0 ? "off: only the address-space limit of each process"
                             : "the process tree's resident memory (the mapped context aside), checked 4 times a second while a cell runs, at most "
                             + (limits.treeMemoryBytes.map { "\($0 >> 20) MiB" } ?? "2048 MiB plus 3 bytes per byte of context")),
            SandboxLayer(name: "timeout", active: true, detail: "per cell: interrupt, then kill the process group and restart"),
            SandboxLayer(name: "lifetime", active: true,
                         detail: mode == .none ? "ends its process group when rlmd's pipe closes"
                             : "dies with rlmd (parent-death signal); its children die with its pid namespace"),
        ]
    }
}

public struct SandboxLayer: Sendable, Equatable {
    public var name: String
    public var active: Bool
    public var detail: String
}
