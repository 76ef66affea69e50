"""Reading one LHEO feed in several processes (SharedRead): a splitter process parses the whole file once, with the
checks and limits of lheo.read (it is the structure check: StructureCheck), and hands each <formation>'s bytes to one
of two reader processes, which parse it alone, validate and read it; their items are taken back in file order.
"""

import hashlib
import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from lxml import etree

from alternance.trainings import lheo
from alternance.trainings.lheo import (
    HEAD_BYTES,
    Feed,
    FeedError,
    Record,
    Rejected,
    Unchanged,
    _read,
    check_head,
    data_dir,
    max_bytes,
)

# Below this size a feed is read in the importing process: starting the readers costs more than it saves.
DEFAULT_PARALLEL_MIN_BYTES = 16 * 1024 * 1024
SHARE_BATCH = 100  # formations per message from a reader process
# The splitter tells a reader how far its spool holds whole entries every SPOOL_MESSAGE_BYTES written, or every
# 1/SPOOL_MESSAGES of the file's size for a larger file (see _split_worker).
SPOOL_MESSAGE_BYTES = 256 * 1024
SPOOL_MESSAGES = 256
SPOOL_PREFIX = "lheo-lecture-"  # the reading folder in the temporary directory (import_runs deletes one left by a kill)
# The reader processes' peak resident memory (MB) of the last shared read, by process name (bench.lheo).
peak_rss_mb: dict[str, float] = {}


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM, MB): not ru_maxrss of the parent, which counts a spawned child at
    its fork, when it still shares the parent's pages."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def reader_processes(source) -> int:
    """How many processes should read this feed: 1 (in this process) for a stream, a small file or a single
    core; else 2, each validating and reading every other formation while this process checks and writes."""
    if not isinstance(source, (str, Path)):
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    minimum = int(getattr(settings, "LHEO_PARALLEL_MIN_BYTES", DEFAULT_PARALLEL_MIN_BYTES))
    try:
        size = os.path.getsize(source)
    except OSError:
        return 1  # the in-process reader reports the error
    return 2 if cores >= 2 and size >= minimum else 1


def _split_worker(check, readers: list, spools: list[str], path: str, track: bool, config: dict) -> None:
    """The splitter of SharedRead: parses the whole file once, as lheo.read does (well-formed XML, the size and
    element limits, at least one formation), validating and reading none; writes each formation to the spool file
    of reader n % parts as (line offset, bytes), with, when known formations may be skipped (track), its number of
    actions or -1 when one of them appeared in an earlier formation; tells the reader how far its spool holds whole
    entries; then says to the readers and to `check` (StructureCheck) how the file ended. It never waits for the
    readers: it passes the whole file at its own pace (memory stays flat: the formations wait on disk), and its few
    messages never fill a pipe."""
    if not settings.configured:  # a spawned process: the few settings it needs, from its parent
        settings.configure(**config)
    parts = len(readers)
    seen: set[str] = set()  # the actions of every formation passed so far (see SharedRead)
    files = [open(spool, "wb") for spool in spools]  # noqa: SIM115 - closed below
    unsaid = [0] * parts  # bytes written to each spool since its reader was last told
    # At most about SPOOL_MESSAGES messages a reader (a few KB in all: never blocking, whatever the file's size).
    every = max(SPOOL_MESSAGE_BYTES, os.path.getsize(path) // SPOOL_MESSAGES)
    count = 0

    def tell(part: int) -> None:
        files[part].flush()
        readers[part].send(("formations", files[part].tell()))
        unsaid[part] = 0

    def each(element) -> None:
        nonlocal count
        part = count % parts
        count += 1
        data = etree.tostring(element, with_tail=False)
        # Lines: the bytes start with the formation's start tag, whose end is on its line (sourceline).
        entry = ((element.sourceline or 1) - 1, data)
        if track:  # known formations may be skipped: the reader is told how many actions, or -1 if one was seen
            formation_id = (element.get("numero") or "").strip()
            action_tag = element.tag[: -len("formation")] + "action"
            actions = [
                f"{formation_id}/{(action.get('numero') or '').strip()}" for action in element.iterchildren(action_tag)
            ]
            entry = (*entry, len(actions) if seen.isdisjoint(actions) else -1)
            seen.update(actions)
        pickled = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        files[part].write(pickled)
        unsaid[part] += len(pickled)
        if unsaid[part] >= every:
            tell(part)

    feed = Feed()
    ended = ("end", None)
    try:
        for item in _read(path, feed, None, b"", share=(-1, 1), each=each):  # no formation is read here
            if isinstance(item, str):
                for reader in readers:
                    reader.send(("version", item))
        ended = ("end", feed.ignored)
    except FeedError as error:
        ended = ("error", error.message, error.line)
    except Exception as error:  # noqa: BLE001 - said to the importing process, which fails the run
        ended = ("crash", f"{type(error).__name__}: {error}")
    try:
        for part, reader in enumerate(readers):
            if ended[0] != "crash":
                tell(part)
            reader.send(ended)
        check.send((*ended, _peak_rss_mb()) if ended[0] == "end" else ended)
    except OSError:  # the importing process is gone, or stopped the readers
        pass
    finally:
        for handle in files:
            handle.close()
        for connection in (check, *readers):
            connection.close()


def _read_worker(source, conn, spool: str, known: dict, salt: bytes, config: dict) -> None:
    """A reader of SharedRead: hashes each formation the splitter spooled for it, skips it when known (see
    SharedRead), else parses it alone, validates and reads it (the items of lheo.read), and sends their items,
    SHARE_BATCH formations per message."""
    if not settings.configured:
        settings.configure(**config)
    # The bytes come from the splitter's parser (entities not resolved, no DTD): parsed with the same safe settings.
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
    batch: list = []
    xsd = ns = version = None
    entries = None
    try:
        while True:
            try:
                kind, *payload = source.recv()
            except EOFError:
                kind, payload = "crash", ["le processus de découpage s'est arrêté"]
            if kind == "version":
                version = payload[0]
                namespace = next(k for k, v in lheo.NAMESPACES.items() if v == version)
                xsd, ns = lheo.schema(version), {"l": namespace}
                conn.send(("version", version))
                continue
            if kind != "formations":
                conn.send(("formations", batch))
                if kind == "end":
                    conn.send(("end", payload[0], _peak_rss_mb()))
                else:
                    conn.send((kind, *payload))
                return
            if entries is None:
                entries = open(spool, "rb")  # noqa: SIM115 - closed below
            while entries.tell() < payload[0]:  # whole entries up to there (the splitter only appends)
                entry = pickle.load(entries)
                offset, data, *actions = entry
                digest = hashlib.sha256(salt + data).hexdigest()
                ids = known.get(digest) if actions else None
                if ids is not None and len(ids) == actions[0]:
                    # The bytes of known courses, none of whose actions appeared earlier in the file: since the same
                    # bytes make the same external ids, the test of SharedRead (stricter than the importer's).
                    batch.append([Unchanged(digest, len(ids))])
                else:
                    element = etree.fromstring(data, parser)
                    batch.append(lheo.formation_items(element, xsd, ns, version, digest, offset))
                if len(batch) >= SHARE_BATCH:
                    conn.send(("formations", batch))
                    batch = []
    except Exception as error:  # noqa: BLE001 - said to the importing process, which fails the run
        conn.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        if entries is not None:
            entries.close()
        conn.close()
        source.close()


class StructureCheck:
    """The end of the splitter's parse (SharedRead): the whole file read the way lheo.read does (well-formed XML, the
    size and element limits, at least one formation) without validating or reading the formations: a small part of
    the reading's work. Once it has passed (passed()), whatever else the readers may find is a formation's
    rejection, never a refusal of the file: an import may write before its readers are done and still change
    nothing when the file is refused."""

    def __init__(self, connection):
        self.connection = connection
        self.result: bool | None = None

    def passed(self) -> bool:
        """True once the whole file has passed, False while the check runs; raises FeedError if it was refused."""
        if self.result is None and self.connection.poll():
            kind, *payload = _receive(self.connection)
            if kind != "end":
                _raise(kind, payload)
            peak_rss_mb["decoupage"] = payload[1]
            self.result = True
        return bool(self.result)


class SharedRead:
    """read(path, ...) shared among processes (spawned: nothing of this process's state is inherited): a splitter
    parses the file once and hands formation n to reader n % parts, which validates and reads it; iterating yields
    their items in file order — the same items as read. `check` tells when the splitter has passed the whole file.

    known replaces read's `unchanged`: digest -> the external ids of the known courses a formation with these
    bytes made (only courses that may be skipped). A reader skips such a formation when it has as many
    actions as known ids and none of them appeared in an earlier formation of the file: a stricter test than the
    importer's (read's `unchanged`), so that a formation skipped here is one it would skip too.
    """

    def __init__(
        self, path, feed: Feed | None = None, known: dict[str, list[str]] | None = None, salt: bytes = b"", parts=2
    ):
        path = str(path)
        with open(path, "rb") as stream:
            check_head(stream.read(HEAD_BYTES))  # an unknown format is refused before any process starts
        self.feed, self.parts = feed, parts
        self.connections: list = []
        self.processes: list = []
        peak_rss_mb.clear()
        context = multiprocessing.get_context("spawn")
        config = {"ALTERNANCE_DATA_DIR": str(data_dir()), "LHEO_MAX_BYTES": max_bytes()}
        # The formations handed to each reader wait on disk (as large as the file, at most, in all).
        self.folder = tempfile.mkdtemp(prefix=SPOOL_PREFIX)
        spools = [os.path.join(self.folder, f"lecteur-{part}") for part in range(parts)]
        try:
            to_readers = []
            for part in range(parts):
                source, to_reader = context.Pipe(duplex=False)
                receiver, sender = context.Pipe(duplex=False)
                args = (source, sender, spools[part], known or {}, salt, config)
                self._start(context, _read_worker, args, f"lecteur-lheo-{part}")
                source.close()
                sender.close()
                to_readers.append(to_reader)
                self.connections.append(receiver)
            checked, check_sender = context.Pipe(duplex=False)
            self.check = StructureCheck(checked)
            args = (check_sender, to_readers, spools, path, bool(known), config)
            self._start(context, _split_worker, args, "decoupage-lheo")
            check_sender.close()
            for connection in to_readers:
                connection.close()
        except BaseException:
            self.close()
            raise

    def _start(self, context, target, args, name: str) -> None:
        process = context.Process(target=target, args=args, name=name, daemon=True)
        self.processes.append(process)
        process.start()

    def __iter__(self) -> Iterator[Record | Rejected | Unchanged | str]:
        parts, connections = self.parts, self.connections
        pending = [deque() for _ in range(parts)]
        ended = [False] * parts
        version = None
        for part in range(parts):
            kind, *payload = _receive(connections[part])
            if kind != "version":
                _raise(kind, payload)
            version = payload[0]
        yield version
        index = 0
        while True:
            part = index % parts
            while not pending[part] and not ended[part]:
                kind, *payload = _receive(connections[part])
                if kind == "formations":
                    pending[part].extend(payload[0])
                elif kind == "end":
                    ended[part] = True
                    self._ended(part, payload)
                else:
                    _raise(kind, payload)
            if not pending[part]:
                break  # no formation `index` in the file: every process has read it all
            yield from pending[part].popleft()
            index += 1
        for part in range(parts):  # the others end too (their last message)
            while not ended[part]:
                kind, *payload = _receive(connections[part])
                if kind == "end":
                    ended[part] = True
                    self._ended(part, payload)
                elif kind != "formations":
                    _raise(kind, payload)

    def _ended(self, part: int, payload: list) -> None:
        if self.feed is not None:
            self.feed.ignored = payload[0]
        peak_rss_mb[f"lecteur-{part}"] = payload[1]

    def close(self) -> None:
        for connection in self.connections:
            connection.close()
        check = getattr(self, "check", None)
        if check is not None:
            check.connection.close()
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            if process.pid is not None:
                process.join()
        shutil.rmtree(self.folder, ignore_errors=True)


def read_shared(
    path, feed: Feed | None = None, known: dict[str, list[str]] | None = None, salt: bytes = b"", parts: int = 2
) -> Iterator[Record | Rejected | Unchanged | str]:
    """SharedRead's items, its processes stopped at the end (see SharedRead)."""
    shared = SharedRead(path, feed, known, salt, parts)
    try:
        yield from shared
    finally:
        shared.close()


def _receive(connection) -> tuple:
    try:
        return connection.recv()
    except EOFError:  # the process died without a word (killed, out of memory)
        return ("crash", "le processus de lecture s'est arrêté")


def _raise(kind: str, payload: list):
    if kind == "error":
        raise FeedError(payload[0], payload[1])
    raise RuntimeError(f"Lecture du flux LHEO : {payload[0] if payload else kind}")
