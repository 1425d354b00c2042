# The Python side of rlmd's REPL. rlmd starts this file inside the sandbox and speaks
# newline-delimited JSON with it on two inherited pipes (fds 3 and 4); the cell's own
# stdout/stderr never touch them. One JSON object per line, its kind in "type" (see the table below).
# Model code runs in the main thread; a reader thread takes rlmd's messages, so replies to
# sub-calls and interrupts arrive while a cell runs, and the process ends when rlmd goes away.
import _ast
import ctypes
import fcntl
import io
import os
import resource
import _signal as signal  # `signal` wraps these in enums: importing `enum` took 6 ms of every start
import sys
import threading
import time

_PROTOCOL_IN, _PROTOCOL_OUT, _CONTEXT_FD, _COPY_FD = 3, 4, 5, 6


class _Kinds:
    """One direction's names as attributes, so the code cannot use a name the table lacks."""

    def __init__(self, *names):
        self.__dict__.update(zip(names, names))


# The protocol's kinds. The runtime sends and reads only these; ReplProtocolTableTests holds each
# line against the Swift enum named beside it.
_TO_RUNTIME = _Kinds("init", "exec", "reply", "interrupt")                    # ReplMessage.OutgoingKind
_FROM_RUNTIME = _Kinds("ready", "request", "done", "fatal")                   # ReplMessage.IncomingKind
_REQUESTS = _Kinds("search", "llm_query", "llm_query_batched", "rlm_query")   # ReplRequestKind


def _private_fd(fd):
    """Moves a protocol pipe to a high, close-on-exec descriptor so children never inherit it."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 100)
    os.close(fd)
    return moved


def _close_inherited():
    """Closes every descriptor rlmd did not mean to pass (a parent's stray non-close-on-exec fds)."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > _COPY_FD:
            try:
                os.close(fd)
            except OSError:
                pass


class _Channel:
    def __init__(self):
        self.inp = os.fdopen(_private_fd(_PROTOCOL_IN), "rb", buffering=1 << 16)
        self.out = os.fdopen(_private_fd(_PROTOCOL_OUT), "wb", buffering=0)
        self.lock = threading.Lock()

    def send(self, message):
        line = memoryview(_encode_json(message).encode("utf-8", "replace") + b"\n")
        # An interrupt must not land between two parts of a line: hold SIGINT until it is out.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with self.lock:
                while line:
                    line = line[self.out.write(line):]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    def receive(self):
        line = self.inp.readline()
        return _decode_json(line.decode("utf-8")) if line else None


def _json_codec():
    """(encode, decode) made straight from the `_json` C accelerator: importing the `json` package
    (with `re` and `enum`) took 11 ms of every start. Falls back to the package."""
    try:
        import _json

        class Options:  # what the scanner reads from a json.JSONDecoder
            strict, object_hook, object_pairs_hook = True, None, None
            parse_float, parse_int, parse_constant = float, int, float
            memo = {}

        def unserializable(value):
            raise TypeError(f"{type(value).__name__} is not JSON serializable")

        scan = _json.make_scanner(Options())
        encoder = _json.make_encoder({}, unserializable, _json.encode_basestring, None, ":", ",", False, False, True)
    except (ImportError, AttributeError, TypeError):
        import json
        return (lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))), json.loads

    def decode(text):
        try:
            value, end = scan(text, 0)
        except StopIteration as stop:
            raise ValueError(f"not JSON at char {stop.value}") from None
        if text[end:].strip():
            raise ValueError(f"extra data after char {end}")
        return value
    return (lambda value: "".join(encoder(value, 0))), decode


_encode_json, _decode_json = _json_codec()


def _apply_limits(limits):
    for name, value in limits.items():
        key = getattr(resource, "RLIMIT_" + name.upper(), None)
        if key is None or not value:
            continue
        try:
            resource.setrlimit(key, (value, value))
        except (ValueError, OSError):
            pass  # reported by rlmd from what getrlimit says afterwards


# --- The context as one str, without holding its bytes twice ---------------------------------
# A str built by decoding the file needs the bytes and the str at once (2x the context at peak).
# Instead we ask CPython for an empty str of the right size and kind and read the file straight
# into its buffer, record by record. A self-test proves the buffer arithmetic on this
# interpreter; if it fails we decode the ordinary way.

_WIDTH = {127: 1, 255: 1, 65535: 2, 1114111: 4}
_ENCODING = {255: "latin-1", 65535: "utf-16-le", 1114111: "utf-32-le"}
_new_str = ctypes.pythonapi.PyUnicode_New
_new_str.restype = ctypes.py_object
_new_str.argtypes = [ctypes.c_ssize_t, ctypes.c_uint32]


def _data_offset(maxchar):
    sample = {127: "a", 255: "\xe9", 65535: "\u0100", 1114111: "\U00010000"}[maxchar]
    return sys.getsizeof(sample) - 2 * _WIDTH[maxchar]


def _buffer(text, maxchar):
    count = len(text) * _WIDTH[maxchar]
    return (ctypes.c_char * count).from_address(id(text) + _data_offset(maxchar))


def _fill_works(maxchar):
    sample = {127: "abc", 255: "ab\xe9", 65535: "a\u0100b", 1114111: "a\U00010000b"}[maxchar]
    made = _new_str(len(sample), maxchar)
    encoded = sample.encode("ascii") if maxchar == 127 else sample.encode(_ENCODING[maxchar])
    ctypes.memmove(_buffer(made, maxchar), encoded, len(encoded))
    return made == sample and hash(made) == hash(sample)


def _populate(address, length):
    """Maps the new string's pages in one call (MADV_POPULATE_WRITE, Linux 5.14+) instead of one page
    fault per 4 KiB while reading into it: ~15% faster for 100 MB. Best effort: older kernels refuse."""
    page = 4096
    start = (address + page - 1) // page * page
    size = (address + length - start) // page * page
    if size > 0:
        ctypes.CDLL(None).madvise(ctypes.c_void_p(start), ctypes.c_size_t(size), 23)


def _max_char(fd, records):
    """The widest char class among the records' bytes (they are valid UTF-8). Decoding a piece
    is the fastest scan CPython offers: the decoded str's own width tells its widest char."""
    best, compact = 127, _data_offset(255)
    for offset, length, _, _ in records:
        for piece in _pieces(fd, offset, length):
            if piece.isascii():
                continue
            text = piece.decode("utf-8")
            width = (sys.getsizeof(text) - compact) // (len(text) + 1)
            best = max(best, {1: 255, 2: 65535}.get(width, 1114111))
            if best == 1114111:
                return best
    return best


def _pieces(fd, offset, length, size=1 << 20):
    """The bytes of a record in pieces of about `size` that end on UTF-8 char boundaries."""
    end = offset + length
    while offset < end:
        piece = os.pread(fd, min(size + 3, end - offset), offset)
        if not piece:
            raise OSError("context file is shorter than the index says")
        cut = len(piece)
        if offset + cut < end:
            cut = min(cut, size)
            while cut > 0 and (piece[cut] & 0xC0) == 0x80:
                cut -= 1
        yield piece[:cut]
        offset += cut


def _load_context(records, total_chars, all_ascii, exact=False, copy=False):
    """Builds `context` from the store's copy of the text (fd 6, `copy`) or else from the records of
    the context file (fd 5): the str and the stand-ins it holds (see `_Standins`)."""
    if not records or total_chars == 0:
        return "", _Standins(), "empty"
    if copy:
        try:
            return _load_copy(_COPY_FD, total_chars, all_ascii)
        except (OSError, ValueError, UnicodeDecodeError):
            pass  # a copy that does not hold what the index says: the records do
    fd = _CONTEXT_FD
    # Without `exact`, a context that is not all ASCII is a 2-byte str: no scan for its widest char,
    # and at most 2 bytes per char (a Latin-1-only context pays 2 where 1 would do).
    maxchar = 127 if all_ascii else _max_char(fd, records) if exact else 65535
    if not _fill_works(maxchar):
        if exact:
            return _decode_context(fd, records), _Standins(), "decoded"
        standins = _Standins()
        return standins.replace_astral(_decode_context(fd, records), 0), standins, "decoded"
    text = _new_str(total_chars, maxchar)
    address = id(text) + _data_offset(maxchar)
    view = memoryview(_buffer(text, maxchar)).cast("B")
    if maxchar == 127:
        _fill_ascii(fd, view, address, records)
        return text, _Standins(), "filled"
    width = _WIDTH[maxchar]
    # The kernel maps the pages on another thread (ctypes releases the GIL) while this one decodes.
    populating = threading.Thread(target=_populate, args=(address, total_chars * width))
    populating.start()
    standins = _Standins()
    try:
        for offset, length, char_offset, chars in records:
            at, stop = char_offset * width, (char_offset + chars) * width
            for piece in _pieces(fd, offset, length):
                decoded = piece.decode("utf-8") if exact else standins.decode_bmp(piece, at // width)
                encoded = decoded.encode(_ENCODING[maxchar])
                if len(encoded) != len(decoded) * width:  # surrogate pairs: astral chars in a 2-byte str
                    encoded = standins.replace_astral(decoded, at // width).encode(_ENCODING[maxchar])
                if at + len(encoded) > stop:
                    raise ValueError("context file does not match the index")
                ctypes.memmove(address + at, encoded, len(encoded))
                at += len(encoded)
            if at != stop:
                raise ValueError("context file does not match the index")
    finally:
        populating.join()
    if exact or standins.count:
        return text, standins, "filled" if exact else "filled-bmp"
    return _canonical(text), standins, "filled"


def _canonical(text):
    """A 2-byte str of Latin-1 chars only as the 1-byte str CPython makes of such text (a 2-byte one
    compares unequal to it); any other str as it is."""
    try:
        return text.encode("latin-1").decode("latin-1")
    except UnicodeEncodeError:
        return text


def _load_copy(fd, total_chars, all_ascii):
    """The copy rlmd keeps beside the context file (`ContextCopy`: the text as the str holds it, 1
    byte per char for ASCII, else UTF-16LE with the stand-ins in; a NUL, the widest char, the
    stand-ins' table): mapped as the str's buffer, or else read straight into one."""
    maxchar = 127 if all_ascii else 65535
    width = _WIDTH[maxchar]
    size = total_chars * width
    standins = _Standins.read(fd, size + _COPY_TABLE_GAP)
    if not all_ascii and int.from_bytes(_pread_all(fd, 4, size + 4), "little") < 0x100:
        if _fill_works(255):
            return _narrowed(fd, total_chars), standins, "narrowed"
        return _pread_all(fd, size, 0).decode("utf-16-le"), standins, "decoded"
    mapped = _map_copy(fd, total_chars, maxchar)
    if mapped is not None:
        return mapped, standins, "mapped"
    if not _fill_works(maxchar):
        return _pread_all(fd, size, 0).decode("ascii" if all_ascii else "utf-16-le"), standins, "decoded"
    text = _new_str(total_chars, maxchar)
    view = memoryview(_buffer(text, maxchar)).cast("B")
    _fill_ascii(fd, view, id(text) + _data_offset(maxchar), [[0, size, 0, size]])
    return text, standins, "cached"


_COPY_TABLE_GAP = 8  # after the text: the str's NUL padded to 4 bytes, the widest char (uint32)


def _narrowed(fd, total_chars):
    """A 2-byte copy of Latin-1 chars only as the 1-byte str CPython makes of such text (a 2-byte
    one compares unequal to it), converted 4 Mi chars at a time."""
    text = _new_str(total_chars, 255)
    address, step = id(text) + _data_offset(255), 1 << 22
    for at in range(0, total_chars, step):
        count = min(step, total_chars - at)
        ctypes.memmove(address + at, _pread_all(fd, 2 * count, 2 * at).decode("utf-16-le").encode("latin-1"), count)
    return text


_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
_libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_MAPPED = []  # every mapped str: it must never be freed


def _map_copy(fd, total_chars, maxchar):
    """A str whose text is the copy's pages, mapped read-only: nothing is read and no page touched
    before the model reads it (100 MB took 60-120 ms to read into a str; a whole ask on 106 MB of
    real code took 1.4x its ASCII twin), and REPLs over one snapshot share the pages. The str's
    header is that of a real str of this kind made by this interpreter, written in front of the first
    mapped page with this length; the str is never freed (a reference stays in `_MAPPED`) and CPython
    never writes into a str's text. Checked against the file; None where anything differs."""
    import mmap
    if not _object_layout_known():
        return None
    width, page, encoding = _WIDTH[maxchar], mmap.PAGESIZE, _ENCODING.get(maxchar, "ascii")
    offset = _data_offset(maxchar)
    header_pages = (offset + page - 1) // page * page
    length = ((total_chars + 1) * width + page - 1) // page * page  # the NUL's page is in the file too
    base = _libc.mmap(None, header_pages + length, mmap.PROT_READ | mmap.PROT_WRITE,
                      mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
    if base in (None, ctypes.c_void_p(-1).value):
        return None
    data = base + header_pages
    fixed = 0x10  # MAP_FIXED
    if _libc.mmap(data, length, mmap.PROT_READ, mmap.MAP_PRIVATE | fixed, fd, 0) != data:
        _libc.munmap(base, header_pages + length)
        return None
    template = _new_str(1, maxchar)
    sample = "a" if maxchar == 127 else "\u0100"
    ctypes.memmove(id(template) + offset, sample.encode(encoding), width)
    header = data - offset
    ctypes.memmove(header, id(template), offset)
    ctypes.c_ssize_t.from_address(header).value = 1 << 30  # the refcount: never reaches 0
    ctypes.c_ssize_t.from_address(header + 16).value = total_chars
    ctypes.c_ssize_t.from_address(header + 24).value = -1  # hash not computed yet
    text = ctypes.cast(header, ctypes.py_object).value
    _MAPPED.append(text)
    edge = min(total_chars, 2048)
    head, tail = (_pread_all(fd, width * edge, at) for at in (0, width * (total_chars - edge)))
    # As bytes: a str of Latin-1 chars only is 2-byte here (as when read), which CPython's == tells apart.
    if (len(text) != total_chars or sys.getsizeof(text) != offset + width * (total_chars + 1)
            or text[:edge].encode(encoding) != head or text[total_chars - edge:].encode(encoding) != tail):
        return None
    return text


def _object_layout_known():
    """The header fields `_map_copy` writes (refcount at 0, type at 8, length at 16, hash at 24) are
    where CPython 3.8-3.13 with the GIL keeps them; checked on a real str, never assumed."""
    import sysconfig
    if sys.implementation.name != "cpython" or sysconfig.get_config_var("Py_GIL_DISABLED"):
        return False
    sample = _new_str(3, 65535)
    word = lambda at: ctypes.c_ssize_t.from_address(id(sample) + at).value
    return word(8) == id(str) and word(16) == 3 and word(24) == -1


def _pread_all(fd, length, offset):
    parts, got = [], 0
    while got < length:
        part = os.pread(fd, length - got, offset + got)
        if not part:
            raise OSError("context file is shorter than the index says")
        parts.append(part)
        got += len(part)
    return b"".join(parts)


class _Standins:
    """The chars above U+FFFF of a 2-byte `context`, each stood for there by one U+FFFD so every
    offset stays exact: their offsets in order and the chars themselves, 12 bytes each."""
    STANDIN = "\ufffd"

    def __init__(self):
        from array import array
        self.offsets = array("q")
        self.pieces = []  # the chars, one str per piece of the context that held any
        self.chars = ""

    @property
    def count(self):
        return len(self.offsets)

    @staticmethod
    def _astral():
        import re
        return re.compile("[\U00010000-\U0010FFFF]")

    @classmethod
    def read(cls, fd, at):
        """The table after the text of a copy: count, offsets (int64), code points (uint32)."""
        from array import array
        standins = cls()
        count = int.from_bytes(_pread_all(fd, 8, at), "little", signed=True)
        if count:
            standins.offsets.frombytes(_pread_all(fd, 8 * count, at + 8))
            standins.chars = _pread_all(fd, 4 * count, at + 8 + 8 * count).decode("utf-32-le")
        return standins

    def decode_bmp(self, piece, char_offset):
        """Decodes UTF-8 with its astral chars already stood for, cut out of the bytes (decoding
        them first made a 4-byte str of every piece holding one, and a regex over the bytes scanned
        byte by byte: each about 2x slower). Emoji all start with byte F0; a piece holding another
        lead byte, or a real U+FFFD, is decoded as it is for `replace_astral` to sort out."""
        if b"\xef\xbf\xbd" in piece or any(lead in piece for lead in (b"\xf1", b"\xf2", b"\xf3", b"\xf4")):
            return piece.decode("utf-8")
        parts = piece.split(b"\xf0")
        if len(parts) == 1:
            return piece.decode("utf-8")
        self.pieces.append(b"".join(b"\xf0" + part[:3] for part in parts[1:]).decode("utf-8"))
        decoded = b"\xef\xbf\xbd".join([parts[0]] + [part[3:] for part in parts[1:]]).decode("utf-8")
        import re
        self.offsets.extend(char_offset + match.start() for match in re.finditer(self.STANDIN, decoded))
        return decoded

    def replace_astral(self, text, char_offset):
        astral = self._astral()
        found = [(match.start(), match.group()) for match in astral.finditer(text)]
        self.offsets.extend(char_offset + at for at, _ in found)
        self.pieces.append("".join(char for _, char in found))
        return astral.sub(self.STANDIN, text)

    def within(self, start, end):
        """Whether context[start:end] (0 <= start <= end) holds a stand-in."""
        if not self.offsets:
            return False
        low, high = self._range(start, end)
        return low < high

    def _range(self, start, end):
        from bisect import bisect_left
        return bisect_left(self.offsets, start), bisect_left(self.offsets, end)

    def exact(self, context, start, end):
        """context[start:end] with its stand-ins replaced by the chars they stand for."""
        start, end, _ = slice(start, end).indices(len(context))
        text = context[start:end]
        if not self.offsets or start >= end:
            return text
        low, high = self._range(start, end)
        if low == high:
            return text
        if self.pieces:
            self.chars += "".join(self.pieces)
            self.pieces = []
        parts, at = [], start
        for index in range(low, high):
            where = self.offsets[index]
            parts += (context[at:where], self.chars[index])
            at = where + 1
        parts.append(context[at:end])
        return "".join(parts)

    def searchable(self, pattern):
        """A regex source with its astral chars as stand-ins, so it can match in `context`."""
        return self._astral().sub(self.STANDIN, pattern)


def _fill_ascii(fd, view, address, records):
    """Reads ASCII records straight into the str's buffer in two halves on two threads: mapping the
    pages and copying into them is kernel work (the GIL is released), which two cores finish in
    about two thirds of the time of one."""
    half = len(view) // 2
    segments = [[], []]  # (file offset, str offset, count) per half
    for offset, length, char_offset, chars in records:
        if char_offset < half < char_offset + chars:
            cut = half - char_offset
            segments[0].append((offset, char_offset, cut))
            segments[1].append((offset + cut, half, chars - cut))
        else:
            segments[0 if char_offset < half else 1].append((offset, char_offset, chars))
    errors = []

    def fill(part, lo, hi):
        try:
            _populate(address + lo, hi - lo)
            for offset, start, count in segments[part]:
                at, stop = start, start + count
                while at < stop:
                    got = os.preadv(fd, [view[at:stop]], offset + (at - start))
                    if got <= 0:
                        raise OSError("context file is shorter than the index says")
                    at += got
        except BaseException as exc:  # raised again on the caller's thread
            errors.append(exc)

    helper = threading.Thread(target=fill, args=(1, half, len(view)))
    helper.start()
    fill(0, 0, half)
    helper.join()
    if errors:
        raise errors[0]


def _decode_context(fd, records):
    return "".join(os.pread(fd, length, offset).decode("utf-8") for offset, length, _, _ in records)


# --- Model-facing API -------------------------------------------------------------------------

class Doc:
    """One document of the context: `context[doc.start:doc.end]` is its text."""
    __slots__ = ("path", "start", "end", "lines", "kind", "role", "timestamp", "session", "index", "tool")

    def __init__(self, row):
        (self.path, self.start, self.end, self.lines, self.kind, self.role, self.timestamp,
         self.session, self.index, self.tool) = row

    def __repr__(self):
        extra = "".join(f", {k}={getattr(self, k)!r}" for k in ("role", "timestamp", "tool") if getattr(self, k))
        return f"Doc({self.path!r}, start={self.start}, end={self.end}, lines={self.lines}, kind={self.kind!r}{extra})"


class _Final(Exception):
    pass


class Runtime:
    def __init__(self, channel):
        self.channel = channel
        self.context = ""
        self.standins = _Standins()
        self.docs = []
        self.by_path = {}
        self.starts = []
        self.final = None
        self.next_id = 0
        self.waiting = {}
        self.waiting_lock = threading.Lock()
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        self.output_limit = 20000
        self.api_functions = self.api()  # put back into the namespace before each cell

    # Sub-calls travel to rlmd and block this (main) thread until the reply arrives.
    def request(self, method, params):
        with self.waiting_lock:
            self.next_id += 1
            request_id = self.next_id
            slot = self.waiting[request_id] = [threading.Event(), None]
        self.channel.send({"type": _FROM_RUNTIME.request, "id": request_id, "method": method, "params": params})
        try:
            slot[0].wait()
        finally:
            with self.waiting_lock:
                self.waiting.pop(request_id, None)
        reply = slot[1]
        if not reply.get("ok"):
            raise RuntimeError(reply.get("error") or "request failed")
        return reply.get("value")

    def deliver(self, reply):
        with self.waiting_lock:
            slot = self.waiting.get(reply.get("id"))
        if slot is not None:
            slot[1] = reply
            slot[0].set()

    def api(self):
        runtime = self

        def read(path, start_line=None, end_line=None):
            """Lines start_line..end_line (1-based, inclusive) of a document, or all of it."""
            doc = runtime.by_path.get(path)
            if doc is None:
                close = [p for p in runtime.by_path if p.endswith("/" + path) or p.endswith(path)][:5]
                raise KeyError(f"no document {path!r}" + (f"; did you mean {close}?" if close else ""))
            text = runtime.standins.exact(runtime.context, doc.start, doc.end)
            if start_line is None and end_line is None:
                return text
            lines = text.splitlines(keepends=True)
            start = max(1, start_line or 1)
            end = len(lines) if end_line is None else min(end_line, len(lines))
            return "".join(lines[start - 1:end])

        def grep(pattern, path_glob=None, max_hits=200):
            """[(path, line_no, line)] for lines matching a Python regex (re.MULTILINE)."""
            import re
            regex = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.MULTILINE)
            exact = regex
            source = regex.pattern
            if runtime.standins.count and isinstance(source, str) and source != runtime.standins.searchable(source):
                # The pattern names chars `context` holds as stand-ins: find candidates with stand-ins,
                # keep the lines whose exact text the pattern matches.
                regex = re.compile(runtime.standins.searchable(source), regex.flags)
            context, hits = runtime.context, []
            if path_glob is not None:
                from fnmatch import fnmatch
            docs = runtime.docs if path_glob is None else [d for d in runtime.docs if fnmatch(d.path, path_glob)]
            for doc in docs:
                pos = doc.start
                while len(hits) < max_hits:
                    match = regex.search(context, pos, doc.end)
                    if match is None:
                        break
                    line_start = max(context.rfind("\n", doc.start, match.start()) + 1, doc.start)
                    line_end = context.find("\n", match.start(), doc.end)
                    line_end = doc.end if line_end < 0 else line_end
                    line_no = context.count("\n", doc.start, line_start) + 1
                    line = context[line_start:line_end]
                    # A line with stand-ins counts if the pattern matches its exact text.
                    if runtime.standins.within(line_start, line_end):
                        line = runtime.standins.exact(context, line_start, line_end)
                        if not exact.search(line):
                            line = None
                    if line is not None:
                        hits.append((doc.path, line_no, line))
                    pos = line_end + 1
                    if pos > doc.end:
                        break
                if len(hits) >= max_hits:
                    break
            return hits

        def exact_text(start, end):
            """context[start:end] with every char exact (`context` holds chars above U+FFFF as U+FFFD)."""
            return runtime.standins.exact(runtime.context, start, end)

        def search(query, k=20):
            """Ranked full-text search (SQLite FTS5, bm25): [{path, line, snippet, score}]."""
            return runtime.request(_REQUESTS.search, {"query": str(query), "k": int(k)})

        def llm_query(prompt, model=None):
            """One call to the sub-model; returns its text (an error becomes a string starting 'Error:')."""
            try:
                return runtime.request(_REQUESTS.llm_query, {"prompt": str(prompt), "model": model})
            except RuntimeError as error:
                return f"Error: {error}"

        def llm_query_batched(prompts, model=None):
            """Many sub-model calls at once, answered concurrently; results in order, errors as strings."""
            prompts = [str(p) for p in prompts]
            if not prompts:
                return []
            try:
                values = runtime.request(_REQUESTS.llm_query_batched, {"prompts": prompts, "model": model})
            except RuntimeError as error:
                return [f"Error: {error}"] * len(prompts)
            return [v if isinstance(v, str) else f"Error: {v.get('error')}" for v in values]

        def rlm_query(prompt, context=None):
            """A recursive language model call over `context` (text) or, by default, this context."""
            params = {"prompt": str(prompt), "context": None if context is None else str(context)}
            try:
                return runtime.request(_REQUESTS.rlm_query, params)
            except RuntimeError as error:
                return f"Error: {error}"

        def FINAL(answer):
            """Ends the question with `answer` as the final answer."""
            runtime.final = str(answer)
            return runtime.final

        def FINAL_VAR(name):
            """Ends the question with the value of the variable `name` as the final answer."""
            key = name if isinstance(name, str) else None
            if key is None or key not in runtime.namespace:
                raise NameError(f"FINAL_VAR: no variable named {name!r}; define it first or call FINAL(value)")
            runtime.final = str(runtime.namespace[key])
            return runtime.final

        def SHOW_VARS():
            """Prints the variables you defined, with their types and sizes."""
            shown = []
            for key, value in runtime.namespace.items():
                if key.startswith("_") or key in runtime.api_functions or key in ("context", "docs"):
                    continue
                if callable(value) and getattr(value, "__module__", None) != "__main__":
                    continue
                size = f", len {len(value)}" if hasattr(value, "__len__") and not isinstance(value, type) else ""
                shown.append(f"{key}: {type(value).__name__}{size}")
            print("\n".join(shown) if shown else "(no variables)")

        return {f.__name__: f for f in (read, grep, exact_text, search, llm_query, llm_query_batched, rlm_query,
                                        FINAL, FINAL_VAR, SHOW_VARS)}

    # --- cells ---
    def run_cell(self, code, limit):
        self.final = None
        self.namespace.update(self.api_functions)
        out, err = _Capture(limit), _Capture(limit)
        sys.stdout, sys.stderr = out, err
        error = None
        started = time.perf_counter()
        try:
            # `_ast` and this flag instead of the `ast` module, whose import took 12 ms of every start.
            tree = compile(code, "<cell>", "exec", _ast.PyCF_ONLY_AST)
            tail = tree.body.pop() if tree.body and isinstance(tree.body[-1], _ast.Expr) else None
            exec(compile(tree, "<cell>", "exec"), self.namespace)
            if tail is not None:
                value = eval(compile(_ast.Expression(tail.value), "<cell>", "eval"), self.namespace)
                if value is not None and self.final is None:
                    print(repr(value))
        except KeyboardInterrupt:
            error = "KeyboardInterrupt: the cell was interrupted"
        except SyntaxError as exc:
            error = _describe_syntax_error(exc, code)
        except BaseException as exc:  # model code may raise anything, SystemExit included
            error = _describe_exception(exc, code)
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        return {"stdout": out.text(), "stderr": err.text(), "error": error,
                "final": self.final, "ms": (time.perf_counter() - started) * 1000}



class _Capture(io.TextIOBase):
    """Keeps the first and last `limit/2` chars written and counts the rest, so a cell that
    prints gigabytes costs bounded memory."""

    def __init__(self, limit):
        self.limit, self.head, self.tail, self.total = limit, [], [], 0
        self.head_chars = self.tail_chars = 0

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        written = len(s)
        self.total += written
        half = self.limit // 2
        if self.head_chars < half:
            take = s[:half - self.head_chars]
            self.head.append(take)
            self.head_chars += len(take)
            s = s[len(take):]
        if s:
            self.tail.append(s)
            self.tail_chars += len(s)
            while self.tail and self.tail_chars - len(self.tail[0]) >= half:
                self.tail_chars -= len(self.tail.pop(0))
            if self.tail_chars > 4 * half:
                joined = "".join(self.tail)[-half:]
                self.tail, self.tail_chars = [joined], len(joined)
        return written

    def text(self):
        head, tail = "".join(self.head), "".join(self.tail)
        if self.total <= self.limit:
            return head + tail
        tail = tail[-(self.limit - len(head)):] if self.limit > len(head) else ""
        cut = self.total - len(head) - len(tail)
        return f"{head}\n... [{cut} chars cut; output keeps the first and last {self.limit // 2}] ...\n{tail}"


def _cell_frames(exc, code):
    lines = code.splitlines()
    import traceback
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<cell>"]
    shown = []
    for frame in frames[-3:]:
        text = lines[frame.lineno - 1].strip() if frame.lineno and frame.lineno <= len(lines) else ""
        where = "" if frame.name == "<module>" else f" in {frame.name}"
        shown.append(f"  line {frame.lineno}{where}: {text}")
    return shown


def _describe_exception(exc, code):
    message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if len(message) > 2000:
        message = message[:2000] + " ..."
    frames = _cell_frames(exc, code)
    return "\n".join(["Traceback (cell lines):"] + frames + [message]) if frames else message


def _describe_syntax_error(exc, code):
    lines = code.splitlines()
    out = [f"SyntaxError: {exc.msg} (line {exc.lineno})"]
    if exc.lineno and exc.lineno <= len(lines):
        out.append("    " + lines[exc.lineno - 1])
        if exc.offset:
            out.append("    " + " " * (exc.offset - 1) + "^")
    return "\n".join(out)


def _reader(channel, runtime, cells, main_thread):
    """Takes every message from rlmd. EOF means rlmd is gone: end the whole process group."""
    while True:
        try:
            message = channel.receive()
        except (ValueError, OSError):
            message = None
        if message is None:
            try:
                os.killpg(0, signal.SIGKILL)
            finally:
                os._exit(0)
        kind = message.get("type")
        if kind == _TO_RUNTIME.reply:
            runtime.deliver(message)
        elif kind == _TO_RUNTIME.interrupt:
            signal.pthread_kill(main_thread, signal.SIGINT)
        elif kind == _TO_RUNTIME.exec:
            cells.put(message)


def _add_site_packages():
    """rlmd starts python with -S: `site` runs every .pth hook of the installation (over 30 ms
    with some pip packages). Installed packages stay importable; .pth-only paths do not."""
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for prefix in dict.fromkeys((sys.prefix, sys.base_prefix)):
        for folder in (f"{prefix}/lib/{version}/site-packages", f"{prefix}/local/lib/{version}/dist-packages",
                       f"{prefix}/lib/python3/dist-packages"):
            if os.path.isdir(folder) and folder not in sys.path:
                sys.path.append(folder)


def main():
    _add_site_packages()
    _close_inherited()
    channel = _Channel()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    init = channel.receive()
    if not init or init.get("type") != _TO_RUNTIME.init:
        sys.exit(2)
    os.chdir(init.get("cwd") or os.getcwd())
    _apply_limits(init.get("limits", {}))
    runtime = Runtime(channel)
    runtime.output_limit = int(init.get("output_limit") or 20000)
    started = time.perf_counter()
    try:
        context, standins, how = _load_context(init["records"], init["total_chars"], init["all_ascii"],
                                               bool(init.get("exact")), bool(init.get("copy")))
    except (OSError, ValueError, MemoryError) as error:
        channel.send({"type": _FROM_RUNTIME.fatal, "error": f"could not load the context: {error}"})
        sys.exit(3)
    for fd in (_CONTEXT_FD, _COPY_FD):  # a mapped context keeps its mapping, not the descriptor
        try:
            os.close(fd)
        except OSError:
            pass
    runtime.context, runtime.standins = context, standins
    runtime.docs = [Doc(row) for row in init["docs"]]
    runtime.by_path = {d.path: d for d in runtime.docs}
    runtime.namespace.update(context=context, docs=runtime.docs, Doc=Doc)
    del init
    import queue
    cells = queue.SimpleQueue()
    threading.Thread(target=_reader, args=(channel, runtime, cells, threading.get_ident()), daemon=True).start()
    limits = {name: resource.getrlimit(getattr(resource, "RLIMIT_" + name.upper()))[0]
              for name in ("as", "cpu", "fsize", "nproc")}
    channel.send({"type": _FROM_RUNTIME.ready, "python": sys.version.split()[0], "chars": len(context), "docs": len(runtime.docs),
                  "load": how, "standins": standins.count, "ms": (time.perf_counter() - started) * 1000, "limits": limits,
                  "uid": os.getuid()})
    while True:
        try:
            cell = cells.get()
            result = runtime.run_cell(cell.get("code", ""), int(cell.get("limit") or runtime.output_limit))
        except KeyboardInterrupt:  # an interrupt that arrived between cells
            continue
        result.update(type=_FROM_RUNTIME.done, id=cell.get("id"))
        channel.send(result)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
