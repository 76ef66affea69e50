"""Reading one LHEO feed in several processes (read_shared): two spawned readers each validate and read every
other <formation> with the checks and limits of lheo.read, their items taken back in file order; a third
(StructureCheck) checks the whole file's structure so that writing may start while reading goes on.
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

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


def _share_worker(conn, path: str, part: int, parts: int, known: dict, salt: bytes, config: dict) -> None:
    """One reader process of read_shared: reads the whole file (the same checks and limits as read), validates
    and reads its share of the formations and sends their items, SHARE_BATCH formations per message."""
    if not settings.configured:  # a spawned process: the few settings the reader needs, from its parent
        settings.configure(**config)
    seen: set[str] = set()  # the actions of every formation passed so far, by any process (see read_shared)

    def unchanged(digest: str, actions: int) -> bool:
        ids = known.get(digest)
        return ids is not None and len(ids) == actions and seen.isdisjoint(ids)

    def each(element) -> None:
        formation_id = (element.get("numero") or "").strip()
        action_tag = element.tag[: -len("formation")] + "action"
        for action in element.iterchildren(action_tag):
            seen.add(f"{formation_id}/{(action.get('numero') or '').strip()}")

    feed = Feed()
    batch: list = []
    try:
        # No known formation (a first import): nothing to skip, no action to remember.
        track = each if known else None
        for item in _read(path, feed, unchanged, salt, share=(part, parts), each=track):
            if isinstance(item, str):
                conn.send(("version", item))
            elif item is not None:
                batch.append(item)
                if len(batch) >= SHARE_BATCH:
                    conn.send(("formations", batch))
                    batch = []
        conn.send(("formations", batch))
        conn.send(("end", feed.ignored))
    except FeedError as error:
        conn.send(("formations", batch))
        conn.send(("error", error.message, error.line))
    except Exception as error:  # noqa: BLE001 - said to the importing process, which fails the run
        conn.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def read_shared(
    path, feed: Feed | None = None, known: dict[str, list[str]] | None = None, salt: bytes = b"", parts: int = 2
) -> Iterator[Record | Rejected | Unchanged | str]:
    """read(path, ...) with the validation and reading of the formations shared among `parts` processes
    (spawned: nothing of this process's state is inherited): process p reads formation n when n % parts == p,
    and this process yields their items in file order — the same items as read.

    known replaces read's `unchanged`: digest -> the external ids of the known courses a formation with these
    bytes made (only courses that may be skipped). A reader process skips such a formation when it has as
    many actions as known ids and none of them appeared in an earlier formation of the file: a stricter test
    than the importer's (read's `unchanged`), so that a formation skipped here is one it would skip too.
    """
    path = str(path)
    with open(path, "rb") as stream:
        check_head(stream.read(HEAD_BYTES))  # an unknown format is refused before any process starts
    context = multiprocessing.get_context("spawn")
    config = {"ALTERNANCE_DATA_DIR": str(data_dir()), "LHEO_MAX_BYTES": max_bytes()}
    connections, processes = [], []
    try:
        for part in range(parts):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_share_worker,
                args=(sender, path, part, parts, known or {}, salt, config),
                name=f"lecteur-lheo-{part}",
                daemon=True,
            )
            process.start()
            sender.close()
            connections.append(receiver)
            processes.append(process)
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
                    if feed is not None:
                        feed.ignored = payload[0]
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
                elif kind != "formations":
                    _raise(kind, payload)
    finally:
        for connection in connections:
            connection.close()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


def _receive(connection) -> tuple:
    try:
        return connection.recv()
    except EOFError:  # the process died without a word (killed, out of memory)
        return ("crash", "le processus de lecture s'est arrêté")


def _raise(kind: str, payload: list):
    if kind == "error":
        raise FeedError(payload[0], payload[1])
    raise RuntimeError(f"Lecture du flux LHEO : {payload[0] if payload else kind}")


def _check_worker(conn, path: str, config: dict) -> None:
    """The process of StructureCheck: reads the whole file as read does, validating and reading no formation."""
    if not settings.configured:
        settings.configure(**config)
    try:
        for _item in _read(path, None, None, b"", share=(-1, 1)):  # no formation is this process's share
            pass
        conn.send(("end", None))
    except FeedError as error:
        conn.send(("error", error.message, error.line))
    except Exception as error:  # noqa: BLE001 - said to the importing process, which fails the run
        conn.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


class StructureCheck:
    """A process that reads the whole file the way read does (well-formed XML, the size and element limits, at
    least one formation) without validating or reading the formations: about a tenth of the reading's work.
    Once it has passed (passed()), whatever else the readers may find is a formation's rejection, never a
    refusal of the file: an import may write before its readers are done and still change nothing when the
    file is refused."""

    def __init__(self, path):
        context = multiprocessing.get_context("spawn")
        self.connection, sender = context.Pipe(duplex=False)
        config = {"ALTERNANCE_DATA_DIR": str(data_dir()), "LHEO_MAX_BYTES": max_bytes()}
        self.process = context.Process(
            target=_check_worker, args=(sender, str(path), config), name="controle-lheo", daemon=True
        )
        self.process.start()
        sender.close()
        self.result: bool | None = None

    def passed(self) -> bool:
        """True once the whole file has passed, False while the check runs; raises FeedError if it was refused."""
        if self.result is None and self.connection.poll():
            kind, *payload = _receive(self.connection)
            if kind != "end":
                _raise(kind, payload)
            self.result = True
        return bool(self.result)

    def close(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
