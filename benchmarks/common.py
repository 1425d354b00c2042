"""What the benchmarks share: the binaries they time, the scripted LM server, the trees and contexts
they build, timing and peak-memory measurement, a JSON-RPC client of `rlmd serve --stdio`, PyPI `rlms`
in its own virtual environment, and benchmarks/out/ for the JSON they leave.

No benchmark imports another: what two of them use lives here. This is also the one place in
benchmarks/ that reaches into Tests/ (the scripted LM server and the editor tests' harness, which the
tests own and the benchmarks reuse so they measure what the tests check).
"""
import glob, json, os, random, resource, shutil, subprocess, sys, sysconfig, threading, time
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
TESTS = os.path.join(REPO, "Tests")
RLMD = os.path.join(REPO, ".build", "release", "rlmd")
RLMD_LM = os.path.join(REPO, ".build", "release", "rlmd-lm")
RLMS_VENV = os.path.join(OUT, "venv-rlms")

sys.path.insert(0, os.path.join(TESTS, "TestSupport"))
sys.dont_write_bytecode = True  # no __pycache__ in a Swift target's folder (SwiftPM would warn of it)
from scripted_lm import ScriptedLM  # noqa: E402,F401  (re-exported: the benchmarks start the server with it)


# Binaries and output

def require_binary(path=RLMD, hint="build the release binary first: make release"):
    """Exits with `hint` unless `path` is an executable; returns it."""
    if not os.access(path, os.X_OK):
        sys.exit(f"{hint} ({path} missing)")
    return path


def editor_harness():
    """Tests/editors/harness.py: the editor tests' sandbox, sample workspace, scripted replies and the
    daemon build they run (`RLMD_BIN_DIR`, default .build/debug)."""
    sys.path.insert(0, os.path.join(TESTS, "editors"))
    import harness
    return harness


def write_json(name, data):
    """Writes benchmarks/out/<name>."""
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(data, f, indent=2)


def bench_env(tmp, lm=None, **extra):
    """os.environ with every XDG folder under `tmp`, no provider keys, and the scripted server `lm`
    (a ScriptedLM) as the provider, or none; `extra` overrides."""
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"), XDG_STATE_HOME=os.path.join(tmp, "state"),
               XDG_CONFIG_HOME=os.path.join(tmp, "config"), XDG_DATA_HOME=os.path.join(tmp, "data"),
               OPENAI_API_KEY="", ANTHROPIC_API_KEY="", RLMD_BASE_URL=lm.base_url if lm else "")
    env.update(extra)
    return env


# Running and measuring

def sh(cmd, cwd=None, env=None, check=True):
    return subprocess.run(cmd, cwd=cwd, env=env, shell=isinstance(cmd, str), check=check,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)


Timed = namedtuple("Timed", "seconds cpu_seconds out")


def timed(cmd, cwd=None, env=None):
    """Runs `cmd` (failing on a non-zero exit): wall seconds, the child's CPU seconds (user + system,
    steadier on a shared machine) and the finished process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = sh(cmd, cwd=cwd, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timed(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out)


def timed_peak_rss(cmd, env=None):
    """Runs `cmd` under /usr/bin/time: (wall seconds, peak RSS in MB, the finished process)."""
    seconds, _, out = timed(["/usr/bin/time", "-f", "%M"] + cmd, env=env)
    return seconds, int(out.stderr.decode().strip().splitlines()[-1]) / 1024, out


def tree_rss_mb(root_pid, pss=False):
    """Sum of VmRSS over root_pid and its descendants; with `pss`, of their proportional set size
    (a page shared by n processes counts 1/n in each: the memory they really hold together)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    family, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in family:
                family.add(pid)
                frontier.append(pid)
    total = 0
    path, field = ("smaps_rollup", "Pss:") if pss else ("status", "VmRSS:")
    for pid in family:
        try:
            with open(f"/proc/{pid}/{path}") as f:
                for line in f:
                    if line.startswith(field):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class PeakSampler(threading.Thread):
    """Samples tree_rss_mb(pid, pss) every `interval` seconds until stop(), which returns the peak in MB."""

    def __init__(self, pid, interval=0.01, pss=False):
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss, self.peak, self.done = pid, interval, pss, 0.0, threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.pid, self.pss))
            time.sleep(self.interval)

    def stop(self):
        self.done.set()
        self.join()
        return self.peak


Sampled = namedtuple("Sampled", "seconds peak_rss_mb returncode out err")


def run_sampled(cmd, env=None):
    """Runs `cmd` to its end, sampling the memory of it and its children every 10 ms: wall seconds,
    peak RSS of the whole tree in MB, exit status, stdout and stderr."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = PeakSampler(process.pid)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    return Sampled(seconds, sampler.stop(), process.returncode, out, err)


# Trees and contexts

def git_repo(path):
    sh(["git", "init", "-q", path])
    sh(["git", "-C", path, "add", "-A"])
    sh(["git", "-C", path, "-c", "user.email=b@b", "-c", "user.name=bench", "commit", "-qm", "tree"])


def stdlib_tree(tmp):
    """This machine's Python standard library without site-packages/ and __pycache__/, as a git repository."""
    source = sysconfig.get_paths()["stdlib"]
    target = os.path.join(tmp, "stdlib")
    shutil.copytree(source, target, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n == "__pycache__" or (d == source and n == "site-packages")])
    git_repo(target)
    return target


def this_repo(tmp):
    """A clone of this repository's HEAD."""
    target = os.path.join(tmp, "rlmd")
    sh(["git", "clone", "-q", REPO, target])
    return target


def tracked_files(repo, target):
    """`repo`'s tracked files as committed at HEAD (no history, no .build) in a fresh git work tree at
    `target`; returns (files, bytes)."""
    os.makedirs(target)
    archive = subprocess.run(["git", "-C", repo, "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", target], input=archive, check=True)
    subprocess.run(["git", "init", "-q", target], check=True)
    files = size = 0
    for folder, _, names in os.walk(target):
        if ".git" in os.path.relpath(folder, target).split(os.sep):
            continue
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files, size = files + 1, size + os.path.getsize(path)
    return files, size


def big_tree(tmp, megabytes):
    """Generated English-like text (ASCII, words from the standard library) in files of ~512 KiB,
    outside git: (folder, bytes)."""
    target = os.path.join(tmp, "big")
    words = open(os.path.join(sysconfig.get_paths()["stdlib"], "argparse.py")).read().split()
    rng = random.Random(7)
    line = lambda: " ".join(rng.choice(words) for _ in range(12)) + "\n"
    block = "".join(line() for _ in range(6000))  # ~500 KiB
    total = 0
    index = 0
    while total < megabytes << 20:
        folder = os.path.join(target, f"d{index // 100:03d}")
        os.makedirs(folder, exist_ok=True)
        text = f"file {index}\n" + block[rng.randrange(1000):]
        with open(os.path.join(folder, f"f{index:05d}.txt"), "w") as f:
            f.write(text)
        total += len(text)
        index += 1
    return target, total


def stdlib_copies(tmp, megabytes):
    """Whole copies of the standard library (sources and data, no compiled files) up to `megabytes`:
    real code, with a few non-ASCII and astral chars."""
    source = sysconfig.get_paths()["stdlib"]
    target = os.path.join(tmp, "stdlib-copies")
    total, copy = 0, 0
    while total < megabytes << 20:
        folder = os.path.join(target, f"copy{copy}")
        shutil.copytree(source, folder, ignore=lambda d, names: [n for n in names if n in ("__pycache__", "site-packages")
                                                                    or n.endswith((".pyc", ".so", ".exe", ".whl"))])
        total = int(sh(["du", "-sb", target]).stdout.split()[0])
        copy += 1
    return target


def stdlib_in_files(tmp, megabytes, files=200):
    """The standard library's .py sources, concatenated over and over into `files` files of about
    megabytes/files MiB each (the shape of the generated trees: same content as stdlib_copies,
    few documents)."""
    source = sysconfig.get_paths()["stdlib"]
    texts = [open(path, encoding="utf-8", errors="replace").read()
             for path in sorted(glob.glob(os.path.join(source, "**", "*.py"), recursive=True)) if "site-packages" not in path]
    target = os.path.join(tmp, "stdlib-in-files")
    os.makedirs(target, exist_ok=True)
    each, at = (megabytes << 20) // files, 0
    for n in range(files):
        parts, size = [], 0
        while size < each:
            parts.append(texts[at % len(texts)])
            size += len(parts[-1].encode())
            at += 1
        with open(os.path.join(target, f"part{n:03d}.py"), "w", encoding="utf-8") as f:
            f.write("".join(parts))
    return target


def largest_context_file(cache):
    """The largest context file rlmd wrote under the XDG cache `cache` (what rlms is given to load)."""
    return max(glob.glob(os.path.join(cache, "rlmd", "*", "context-*.txt")), key=os.path.getsize)


# PyPI rlms, side by side

def rlms_python():
    """The python of a virtual environment under benchmarks/out/ with PyPI rlms 0.1.3, made on first use."""
    python = os.path.join(RLMS_VENV, "bin", "python")
    if not os.path.exists(python):
        sh([sys.executable, "-m", "venv", RLMS_VENV])
        sh([python, "-m", "pip", "install", "-q", "rlms==0.1.3"])
    return python


# `rlmd serve --stdio` over pipes

def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Daemon:
    """`rlmd serve --stdio` (the release build unless told otherwise) and the time each reply arrived."""

    def __init__(self, root, env, binary=RLMD):
        self.started = time.perf_counter()
        self.process = subprocess.Popen([binary, "serve", "--stdio", "--log-level", "error"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, bufsize=0)
        self.replies, self.arrived = {}, threading.Condition()
        threading.Thread(target=self.reader, daemon=True).start()
        self.root = root

    def reader(self):
        """Reads in large chunks and splits frames itself: a byte-at-a-time reader caps out far below the daemon."""
        stream, buffer = self.process.stdout, b""
        while True:
            chunk = stream.read(1 << 16)
            if not chunk:
                return
            buffer += chunk
            while True:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    break
                length = int(buffer[:end].split(b":")[1])
                if len(buffer) < end + 4 + length:
                    break
                message = json.loads(buffer[end + 4:end + 4 + length])
                buffer = buffer[end + 4 + length:]
                if "id" in message and "method" not in message:
                    with self.arrived:
                        self.replies[message["id"]] = (time.perf_counter(), message)
                        self.arrived.notify_all()

    def send(self, message):
        self.process.stdin.write(frame(message))

    def wait(self, id, timeout=60):
        """(arrival time, reply) of request `id`, or None after `timeout` seconds."""
        with self.arrived:
            self.arrived.wait_for(lambda: id in self.replies, timeout)
            return self.replies.get(id)

    def initialize(self):
        self.send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"rootUri": "file://" + self.root}})
        return self.wait(0)

    def close(self):
        self.send({"jsonrpc": "2.0", "id": "bye", "method": "shutdown"})
        self.wait("bye")
        self.send({"jsonrpc": "2.0", "method": "exit"})
        self.process.wait(timeout=10)
