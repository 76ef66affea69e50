"""Downloads of referential files into a local cache (var/referentials), safe to interrupt.

`fetch(url, dest)` streams the file to `dest.part`, then checks it (the announced size, the publisher's
SHA-256 when one is given, the expected format) and only then renames it to `dest`: a failed or partial
download never replaces a good file, so it can never reach the database. Beside each file a `.meta.json`
keeps the URL, ETag, Last-Modified, size and SHA-256:
- a second run sends If-None-Match / If-Modified-Since and downloads nothing when the file is unchanged (304);
- an interrupted download resumes with a Range request (If-Range on the same ETag), or restarts cleanly when
  the server does not resume.
"""

import hashlib
import json
import sys
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

CHUNK = 1 << 16
USER_AGENT = "alternance-referentiels/1.0"


class DownloadError(Exception):
    """A download failed; the message is French and says what to do."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass
class Fetched:
    url: str
    path: Path
    etag: str = ""
    last_modified: str = ""
    size: int = 0
    sha256: str = ""
    not_modified: bool = False  # the cached copy was confirmed unchanged (HTTP 304)
    resumed: bool = False

    def version(self) -> str:
        """What identifies this version of the file, for the ReferenceLoad record."""
        parts = [f"sha256 {self.sha256[:16]}"]
        if self.etag:
            parts.append(f"ETag {self.etag}")
        if self.last_modified:
            parts.append(f"modifié le {self.last_modified}")
        return ", ".join(parts)


def _meta_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".meta.json")


def read_meta(dest: Path) -> dict:
    try:
        return json.loads(_meta_path(dest).read_text())
    except (OSError, ValueError):
        return {}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_format(path: Path, kind: str) -> None:
    """The downloaded bytes look like what the loader reads (csv, json or zip); else DownloadError."""
    name = path.name.removesuffix(".part")
    if kind == "zip":
        if not zipfile.is_zipfile(path):
            raise DownloadError(f"« {name} » n'est pas une archive ZIP lisible (fichier tronqué ou page d'erreur).")
        return
    head = path.read_bytes()[:4096]
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        raise DownloadError(f"« {name} » est une page web, pas le fichier attendu : vérifiez l'adresse.")
    if kind == "json":
        try:
            json.loads(path.read_bytes())
        except ValueError as error:
            raise DownloadError(f"« {name} » n'est pas un JSON valide ({error}) : fichier tronqué ?") from error
    elif kind == "csv" and (not head or b"\x00" in head):
        raise DownloadError(f"« {name} » n'est pas un fichier CSV (vide ou binaire).")


def fetch(
    url: str,
    dest: Path,
    *,
    kind: str = "csv",
    sha256: str = "",
    client: httpx.Client | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    timeout: float = 30.0,
) -> Fetched:
    """Download `url` to `dest` (see the module docstring); raises DownloadError, leaving `dest` as it was."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    meta = read_meta(dest)
    headers = {"User-Agent": USER_AGENT}
    have_current = dest.is_file() and meta.get("url") == url
    if have_current:
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
    part_meta = read_meta(part)
    offset = part.stat().st_size if part.is_file() and part_meta.get("url") == url else 0
    if offset and part_meta.get("etag"):
        headers["Range"] = f"bytes={offset}-"
        headers["If-Range"] = part_meta["etag"]
    else:
        offset = 0
    own_client = client is None
    client = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304 and have_current:
                return Fetched(url, dest, **_kept(meta), not_modified=True)
            if response.status_code == 404:
                raise DownloadError(f"{url} : introuvable (404).", status=404)
            if response.status_code not in (200, 206):
                raise DownloadError(
                    f"{url} : le serveur a répondu {response.status_code}.", status=response.status_code
                )
            resumed = response.status_code == 206 and offset > 0
            if not resumed:
                offset = 0
            etag = response.headers.get("ETag", "")
            total = _total(response, offset)
            _write_meta(part, {"url": url, "etag": etag})
            received = offset
            with part.open("ab" if resumed else "wb") as handle:
                for chunk in response.iter_bytes():
                    handle.write(chunk)
                    received += len(chunk)
                    if progress:
                        progress(received, total)
            last_modified = response.headers.get("Last-Modified", "")
    except httpx.HTTPError as error:
        raise DownloadError(
            f"{url} : téléchargement interrompu ({type(error).__name__}) ; relancez : il reprendra où il s'est arrêté."
        ) from error
    finally:
        if own_client:
            client.close()
    if total is not None and received != total:
        raise DownloadError(
            f"{url} : fichier incomplet ({received} octets reçus sur {total}) ; relancez pour reprendre."
        )
    check_format(part, kind)
    actual = _sha256(part)
    if sha256 and actual != sha256.lower():
        part.unlink(missing_ok=True)
        _meta_path(part).unlink(missing_ok=True)
        raise DownloadError(
            f"{url} : somme de contrôle SHA-256 différente de celle publiée ({actual[:12]}… au lieu de "
            f"{sha256[:12]}…) ; le fichier est écarté."
        )
    part.replace(dest)
    _meta_path(part).unlink(missing_ok=True)
    fetched = Fetched(url, dest, etag=etag, last_modified=last_modified, size=received, sha256=actual, resumed=resumed)
    _write_meta(dest, {k: v for k, v in asdict(fetched).items() if k not in ("path", "not_modified", "resumed")})
    return fetched


def _total(response: httpx.Response, offset: int) -> int | None:
    length = response.headers.get("Content-Length")
    if length is None or not length.isdigit():
        return None
    return int(length) + (offset if response.status_code == 206 else 0)


def _kept(meta: dict) -> dict:
    return {k: meta.get(k, "") for k in ("etag", "last_modified", "sha256")} | {"size": meta.get("size", 0)}


def _write_meta(dest: Path, meta: dict) -> None:
    _meta_path(dest).write_text(json.dumps(meta, ensure_ascii=False, indent=1))


def extract(archive: Path, pattern: str, dest: Path) -> Path:
    """Extract the one member of `archive` matching the glob `pattern` to `dest` (when the archive changed)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zipped:
        names = [n for n in zipped.namelist() if Path(n).match(pattern)]
        if len(names) != 1:
            found = ", ".join(sorted(names)[:5]) or "aucun"
            raise DownloadError(f"« {archive.name} » : un seul fichier « {pattern} » attendu ({found}).")
        stamp = f"{_sha256(archive)}:{names[0]}"
        if dest.is_file() and read_meta(dest).get("from") == stamp:
            return dest
        part = dest.with_name(dest.name + ".part")
        with zipped.open(names[0]) as source, part.open("wb") as target:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                target.write(chunk)
    part.replace(dest)
    _write_meta(dest, {"from": stamp})
    return dest


def console_progress(label: str, stream=None) -> Callable[[int, int | None], None]:
    """A progress bar on the terminal (nothing when the output is not a terminal)."""
    stream = stream or sys.stderr
    interactive = stream.isatty()
    state = {"shown": -1}

    def show(received: int, total: int | None) -> None:
        if not interactive:
            return
        if total:
            percent = received * 100 // total
            if percent == state["shown"]:
                return
            state["shown"] = percent
            bar = "#" * (percent // 5)
            stream.write(f"\r  {label} [{bar:<20}] {percent:3d} % ({received / 1e6:.1f} Mo)".replace(".", ","))
        else:
            stream.write(f"\r  {label} {received / 1e6:.1f} Mo".replace(".", ","))
        if total and received >= total:
            stream.write("\n")
        stream.flush()

    return show
