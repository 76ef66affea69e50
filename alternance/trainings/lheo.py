"""Streaming reader of LHEO feeds (Langage Harmonisé d'Échange d'informations sur l'Offre de formation).

LHEO 2.2 (namespace http://www.lheo.org/2.2) and 2.3 (http://lheo.gouv.fr/2.3) are both read. The file is
parsed with lxml.iterparse and every <formation> is validated against the official XSD on its own, then
freed. Whatever else the file holds is freed too as the parser reads (_Stream.free, between two reads):
elements outside a <formation> are counted (Feed.ignored) and dropped, a <formation> larger than
MAX_FORMATION_BYTES, a file larger than settings.LHEO_MAX_BYTES, more than MAX_IGNORED_ELEMENTS elements
outside formations or a DOCTYPE declaring entities are refused with a FeedError; memory stays flat
whatever the feed holds. One record is produced per <action>.

No database here: the records are checked against the referentials by trainings.services.
"""

import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from lxml import etree

from alternance.core.identifiers import siret_errors, uai_errors
from alternance.trainings.lheo_messages import french, schema_reason

NAMESPACES = {"http://www.lheo.org/2.2": "2.2", "http://lheo.gouv.fr/2.3": "2.3"}
# One <formation> is kept whole until its end (to validate it): the largest accepted, in bytes of XML.
MAX_FORMATION_BYTES = 4 * 1024 * 1024
# Elements outside any <formation> (freed as they are read): past this count, the file is refused.
MAX_IGNORED_ELEMENTS = 1_000_000
DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_RNCP = re.compile(r"^(?:RNCP)?\s*(\d{1,6})$", re.IGNORECASE)
_ACADEMIC_MAIL = re.compile(r"^ce\.(\d{7}[a-z])@ac-[a-z-]+\.fr$", re.IGNORECASE)
_CFD = re.compile(r"^[0-9A-Z]{8}$")
_ROME = re.compile(r"^[A-N]\d{4}$")
# Names under which regional feeds put the code formation diplôme (CFD) in <extras>.
CFD_EXTRA_NAMES = frozenset({"code-cfd", "cfd", "code-diplome", "code-formation-diplome", "code-en"})
# LHEO dict-niveaux (code-niveau-sortie) -> cadre national des certifications (décret 2019-14).
LHEO_LEVELS = {"4": 3, "5": 4, "6": 5, "7": 6, "8": 7, "13": 3, "14": 4, "15": 5, "16": 6, "17": 7, "18": 8}


def data_dir() -> Path:
    configured = getattr(settings, "ALTERNANCE_DATA_DIR", "")
    return Path(configured) if configured else Path(settings.BASE_DIR).parent / "shared" / "data"


@cache
def schema_digest() -> bytes:
    """A digest of the XSD files: formations skipped as unchanged were valid against these."""
    digest = hashlib.sha256()
    for version in sorted(NAMESPACES.values()):
        path = data_dir() / "lheo" / f"lheo-{version}.xsd"
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.digest()


@cache
def schema(version: str) -> etree.XMLSchema:
    """The official XSD of this LHEO version, read from the data folder (lheo/lheo-<version>.xsd)."""
    return etree.XMLSchema(etree.parse(str(data_dir() / "lheo" / f"lheo-{version}.xsd")))


class FeedError(Exception):
    """The file cannot be read at all (malformed XML, unknown format): nothing is imported."""

    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(f"ligne {line} : {message}" if line else message)


class Place(NamedTuple):
    """A place as the feed gives it (immutable plain tuples: pickled between processes and hashed fast)."""

    key: str = ""
    name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    insee: str = ""
    lat: float | None = None
    lon: float | None = None
    siret: str = ""
    uai: str = ""


class Organism(NamedTuple):
    siret: str
    name: str
    uai: str = ""
    activity_number: str = ""
    place: Place | None = None
    uai_from_mail: str = ""  # an academic mailbox ce.<UAI>@ac-<académie>.fr names the establishment's UAI


class Session(NamedTuple):
    external_id: str
    start: dt.date | None
    end: dt.date | None


class Record(NamedTuple):
    """One LHEO action, with what it inherits from its formation (a plain named tuple: pickled between processes
    and read back fast)."""

    formation_id: str
    action_id: str
    line: int
    title: str
    description: str = ""
    formacodes: list[str] | tuple = ()
    romes: list[str] | tuple = ()
    rncp: str = ""
    cfd: str = ""
    certifinfo: str = ""
    level: int | None = None
    url: str = ""
    duration: str = ""
    sessions: list[Session] | tuple = ()
    place: Place | None = None
    responsible: Organism | None = None
    trainer: Organism | None = None
    errors: list[str] | tuple = ()
    feed_hash: str = ""  # digest of the formation's bytes (read(..., unchanged=...) only)

    @property
    def external_id(self) -> str:
        return f"{self.formation_id}/{self.action_id}"


@dataclass
class Unchanged:
    """A formation left unread because its bytes are those of a known one (see read's `unchanged`)."""

    feed_hash: str
    actions: int


@dataclass
class Rejected:
    """A record left out, with where and why."""

    identifier: str
    line: int
    reason: str


@cache
def _tags(path: str, namespace: str) -> tuple[str, ...]:
    """ "l:a/l:b" as Clark tags ("{namespace}a", "{namespace}b"), computed once per path and namespace."""
    return tuple(f"{{{namespace}}}{step.removeprefix('l:')}" for step in path.split("/"))


def _children(element, ns: dict) -> dict:
    """The child elements of element by tag, read once per formation (ns["index"], when the caller gives one)."""
    cache = ns.get("index")
    index = cache.get(element) if cache is not None else None
    if index is None:
        index = {}
        for child in element:
            found = index.get(child.tag)
            if found is None:
                index[child.tag] = [child]
            else:
                found.append(child)
        if cache is not None:
            cache[element] = index  # the key keeps the proxy alive: the same element, the same entry
    return index


def _first(element, tags: tuple[str, ...], ns: dict):
    found = _children(element, ns).get(tags[0])
    if found is None:
        return None
    if len(tags) == 1:
        return found[0]
    rest = tags[1:]
    for child in found:
        result = _first(child, rest, ns)
        if result is not None:
            return result
    return None


def _all(element, tags: tuple[str, ...], ns: dict, found: list) -> list:
    children = _children(element, ns).get(tags[0])
    if children is None:
        return found
    if len(tags) == 1:
        found.extend(children)
    else:
        rest = tags[1:]
        for child in children:
            _all(child, rest, ns, found)
    return found


def _findall(element, path: str, ns: dict) -> list:
    """element.findall(path, ns) for a path of child steps, without ElementPath's per-call parsing."""
    return _all(element, _tags(path, ns["l"]), ns, [])


def _find(element, path: str, ns: dict):
    """element.find(path, ns) for a path of child steps: the first match in document order."""
    return _first(element, _tags(path, ns["l"]), ns)


def _text(element, path: str, ns: dict) -> str:
    found = _find(element, path, ns)
    if found is None or found.text is None:
        return ""
    value = found.text.strip()
    return "" if value == "-" else value


def _plain(value: str) -> str:
    """LHEO text fields carry escaped HTML: keep the words."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", html.unescape(value)))).strip()


def _date(value: str, what: str, errors: list[str]) -> dt.date | None:
    """LHEO dates are AAAAMMJJ; 00000000 means unknown (LHEO 2.3, type date)."""
    value = value.strip()
    if not value or set(value) == {"0"}:
        return None
    try:
        if len(value) == 8 and value.isascii() and value.isdigit():  # the usual case, without strptime's cost
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        errors.append(f"{what} « {value} » n'est pas une date AAAAMMJJ valide.")
        return None


def _float(value: str) -> float | None:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return None


def _address(element, ns: dict, **extra) -> Place:
    """An <adresse> (or the <coordonnees> holding one); extra: the place's other fields (name, key, siret, uai)."""
    address = None
    if element is not None:
        address = element if element.tag.endswith("}adresse") else _find(element, "l:adresse", ns)
    if address is None:
        return Place(**extra)
    lines = [(e.text or "").strip() for e in _findall(address, "l:ligne", ns)]
    lat = _float(_text(address, "l:geolocalisation/l:latitude", ns))
    lon = _float(_text(address, "l:geolocalisation/l:longitude", ns))
    if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180:
        lat = lon = None
    return Place(
        address=", ".join(line for line in lines if line and line != "-")[:255],
        postcode=_text(address, "l:codepostal", ns)[:5],
        city=_text(address, "l:ville", ns)[:255],
        insee=_text(address, "l:code-INSEE-commune", ns)[:5],
        lat=lat,
        lon=lon,
        **extra,
    )


def _extras(element, ns: dict) -> dict[str, str]:
    values = {}
    for extra in _findall(element, "l:extras/l:extra", ns):
        name = (extra.get("info") or "").strip().lower()
        if name and extra.text:
            values[name] = extra.text.strip()
    return values


def _organism(element, ns: dict, *, trainer: bool) -> Organism:
    if trainer:
        siret = _text(element, "l:SIRET-formateur/l:SIRET", ns)
        name = _text(element, "l:raison-sociale-formateur", ns)
        uai = _text(element, "l:code-UAI-formateur/l:code-UAI", ns)
        place = _address(_find(element, "l:contact-formateur/l:coordonnees", ns), ns)
    else:
        siret = _text(element, "l:SIRET-organisme-formation/l:SIRET", ns)
        name = _text(element, "l:nom-organisme", ns) or _text(element, "l:raison-sociale", ns)
        uai = _text(element, "l:code-UAI-organisme-formation/l:code-UAI", ns)
        place = _address(_find(element, "l:coordonnees-organisme/l:coordonnees", ns), ns)
    mails = [(e.text or "").strip() for e in element.iter(f"{{{ns['l']}}}courriel")]
    uai_from_mail = next((m.group(1).upper() for m in map(_ACADEMIC_MAIL.match, mails) if m), "")
    return Organism(
        uai_from_mail=uai_from_mail,
        siret=siret.replace(" ", ""),
        name=name[:255],
        uai=uai.upper(),
        activity_number=_text(element, "l:numero-activite", ns),
        place=place,
    )


def _check_organism(organism: Organism, role: str, errors: list[str]) -> None:
    """SIRET (Luhn or La Poste) and UAI (check letter) of an organism must hold (INSEE, BCN)."""
    for message in siret_errors(organism.siret):
        errors.append(f"SIRET de l'organisme {role} « {organism.siret} » : {message}")
    if organism.uai:
        for message in uai_errors(organism.uai):
            errors.append(f"UAI de l'organisme {role} « {organism.uai} » : {message}")


def _formation_records(formation, ns: dict, feed_hash: str = "", line_offset: int = 0) -> list[Record]:
    ns = {**ns, "index": {}}  # each element's children indexed once for this formation's lookups
    formation_id = (formation.get("numero") or "").strip()
    common_errors: list[str] = []
    if not formation_id:
        common_errors.append("La formation n'a pas d'identifiant (attribut numero).")
    title = _plain(_text(formation, "l:intitule-formation", ns))[:500]
    description = _plain(_text(formation, "l:objectif-formation", ns))
    formacodes = [(e.text or "").strip() for e in _findall(formation, "l:domaine-formation/l:code-FORMACODE", ns)]
    romes = []
    for element in _findall(formation, "l:domaine-formation/l:code-ROME", ns):
        code = (element.text or "").strip().upper()
        if _ROME.match(code) and code not in romes:
            romes.append(code)
    rncp = certifinfo = ""
    cfd = ""
    for certification in _findall(formation, "l:certification", ns):
        raw = _text(certification, "l:code-RNCP", ns)
        if raw and not rncp:
            match = _RNCP.match(raw)
            if match:
                rncp = f"RNCP{int(match.group(1))}"
            else:
                common_errors.append(f"Le code RNCP « {raw} » n'est pas un numéro de fiche RNCP.")
        certifinfo = certifinfo or _text(certification, "l:code-CERTIFINFO", ns)
        cfd = cfd or next((v for k, v in _extras(certification, ns).items() if k in CFD_EXTRA_NAMES), "")
    cfd = cfd or next((v for k, v in _extras(formation, ns).items() if k in CFD_EXTRA_NAMES), "")
    cfd = cfd.strip().upper()
    if cfd and not _CFD.match(cfd):
        common_errors.append(f"Le code diplôme (CFD) « {cfd} » doit comporter 8 caractères.")
        cfd = ""
    level = LHEO_LEVELS.get(_text(formation, "l:code-niveau-sortie", ns))
    url = _text(formation, "l:url-formation/l:urlweb", ns)
    responsible_element = _find(formation, "l:organisme-formation-responsable", ns)
    responsible = _organism(responsible_element, ns, trainer=False) if responsible_element is not None else None
    if responsible is not None:
        _check_organism(responsible, "responsable", common_errors)

    records = []
    for action in _findall(formation, "l:action", ns):
        errors = list(common_errors)
        action_id = (action.get("numero") or "").strip()
        if not action_id:
            errors.append("L'action n'a pas d'identifiant (attribut numero).")
        place = None
        place_element = _find(action, "l:lieu-de-formation", ns)
        if place_element is not None:
            coordinates = _find(place_element, "l:coordonnees", ns)
            extra = {
                "siret": _text(place_element, "l:SIRET-lieu-formation/l:SIRET", ns).replace(" ", ""),
                "uai": _text(place_element, "l:code-UAI-lieu-formation/l:code-UAI", ns).upper(),
            }
            if coordinates is not None:
                number = coordinates.get("numero") or ""
                extra["name"] = _plain(_text(coordinates, "l:ligne", ns))[:255]
                extra["key"] = f"lheo:{number}" if number else ""
            place = _address(coordinates, ns, **extra)
        trainer = None
        trainer_element = _find(action, "l:organisme-formateur", ns)
        if trainer_element is not None:
            trainer = _organism(trainer_element, ns, trainer=True)
            _check_organism(trainer, "formateur", errors)
        sessions = []
        for session in _findall(action, "l:session", ns):
            start = _date(_text(session, "l:periode/l:debut", ns), "La date de début", errors)
            end = _date(_text(session, "l:periode/l:fin", ns), "La date de fin", errors)
            session_id = (session.get("numero") or "").strip()
            if start and end and end < start:
                errors.append(
                    f"La session « {session_id} » finit le {end:%d/%m/%Y} avant de commencer le {start:%d/%m/%Y}."
                )
            sessions.append(Session(session_id, start, end))
        records.append(
            Record(
                formation_id=formation_id,
                action_id=action_id,
                line=(action.sourceline or formation.sourceline or 0) + line_offset,
                title=title,
                description=description,
                formacodes=[c for c in formacodes if c],
                romes=romes,
                rncp=rncp,
                cfd=cfd,
                certifinfo=certifinfo,
                level=level,
                url=_text(action, "l:url-action/l:urlweb", ns) or url,
                duration=_text(action, "l:duree-indicative", ns),
                sessions=sessions,
                place=place,
                responsible=responsible,
                trainer=trainer,
                errors=errors,
                feed_hash=feed_hash,
            )
        )
    return records


_ROOT = re.compile(rb"<(?:[\w.-]+:)?lheo\b[^>]*?xmlns(?::[\w.-]+)?=[\"']([^\"']+)[\"']", re.DOTALL)


def max_bytes() -> int:
    return int(getattr(settings, "LHEO_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} Mo".replace(".", ",")


class _Stream:
    """The binary stream handed to lxml: its first bytes were already read (to sniff the LHEO version);
    between two reads (when lxml has handed every pending event to the loop) it frees whatever the
    tree kept outside the formation being read, and enforces the size limits."""

    def __init__(self, head: bytes, rest, formation_tag: str):
        self.head, self.rest = head, rest
        self.formation_tag = formation_tag
        self.read_bytes = 0
        self.limit = max_bytes()
        self.ignored = 0
        self.root = None  # the <lheo> element, set by the loop on its start event
        self.open_formation: tuple[int, int] | None = None  # (id of the element, bytes read when first seen)

    def read(self, size: int = -1) -> bytes:
        self.free()
        if self.head:
            chunk = self.head if size < 0 else self.head[:size]
            self.head = self.head[len(chunk) :]
        else:
            chunk = self.rest.read(size)
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise FeedError(f"Le fichier dépasse la taille maximale acceptée ({_mb(self.limit)}) : découpez le flux.")
        return chunk

    def free(self) -> None:
        """Drop every complete element outside a formation, along the path of open elements."""
        element = self.root
        while element is not None:
            if element.tag == self.formation_tag:
                seen = self.open_formation
                if seen is None or seen[0] != id(element):
                    self.open_formation = (id(element), self.read_bytes)
                elif self.read_bytes - seen[1] > MAX_FORMATION_BYTES:
                    raise FeedError(
                        f"La formation « {element.get('numero') or '(sans identifiant)'} » dépasse "
                        f"{_mb(MAX_FORMATION_BYTES)} : le fichier est refusé (contenu anormal ?).",
                        element.sourceline,
                    )
                return
            children = len(element)
            if children > 1:  # every child but the last is complete (formations read are already gone)
                last = element[-1]
                self.ignored += int(element.xpath("count(.//*)") - last.xpath("count(.//*)")) - 1
                del element[: children - 1]
            if self.ignored > MAX_IGNORED_ELEMENTS:
                raise FeedError(
                    f"Le fichier contient plus de {MAX_IGNORED_ELEMENTS:,} éléments hors des <formation> : "
                    "il est refusé (contenu anormal ?).".replace(",", "\u202f")
                )
            element = element[-1] if children else None


def _open(source):
    if isinstance(source, (str, Path)):
        return open(source, "rb"), True
    return source, False


_DOCTYPE_ENTITY = re.compile(rb"<!DOCTYPE[^>\[]*\[.*?<!ENTITY", re.DOTALL | re.IGNORECASE)


HEAD_BYTES = 65536


def check_head(head: bytes) -> str:
    """The namespace of a feed from its first HEAD_BYTES bytes; FeedError for an empty file, a file that is
    not LHEO 2.2/2.3 or a DOCTYPE declaring entities (checked before any upload is queued)."""
    if _DOCTYPE_ENTITY.search(head):
        raise FeedError(
            "Le fichier déclare des entités XML dans un DOCTYPE : refusé pour des raisons de sécurité. "
            "Un flux LHEO n'a pas de DOCTYPE ; retirez-le puis déposez le fichier à nouveau.",
            1,
        )
    match = _ROOT.search(head)
    namespace = match.group(1).decode() if match else ""
    if namespace not in NAMESPACES:
        if not head.strip():
            raise FeedError("Le fichier est vide.", 1)
        raise FeedError(
            "Ce fichier n'est pas un flux LHEO 2.2 ou 2.3 : l'élément racine <lheo> avec l'espace de noms "
            f"http://www.lheo.org/2.2 ou http://lheo.gouv.fr/2.3 est introuvable (trouvé : « {namespace} »).",
            1,
        )
    return namespace


class Feed:
    """The outcome of a read beyond its records: elements outside formations that were ignored."""

    def __init__(self):
        self.ignored = 0


def read(
    source,
    feed: Feed | None = None,
    unchanged: Callable[[str, int], bool] | None = None,
    salt: bytes = b"",
) -> Iterator[Record | Rejected | Unchanged | str]:
    """Yield the LHEO version (a str) first, then a Record per action and a Rejected per formation off the schema.

    source: a path or a binary file object; feed, if given, receives the count of ignored elements.
    unchanged, if given, is asked (digest of salt and the formation's bytes, number of actions) before a
    formation is validated and read: when it answers True, one Unchanged is yielded instead of its records
    (which then carry the digest in feed_hash).
    Raises FeedError on malformed XML, an unknown format, a DOCTYPE with entities or a limit passed.
    """
    for item in _read(source, feed, unchanged, salt):
        if isinstance(item, list):
            yield from item
        else:
            yield item


def _read(source, feed, unchanged, salt, share=None, each=None) -> Iterator[str | list | None]:
    """read's work: the version, then per formation the list of its items (None: left to another process,
    see _formations)."""
    stream, owned = _open(source)
    try:
        head = stream.read(HEAD_BYTES)
        namespace = check_head(head)
        version = NAMESPACES[namespace]
        yield version
        wrapped = _Stream(head, stream, f"{{{namespace}}}formation")
        try:
            yield from _formations(wrapped, namespace, version, unchanged, salt, share, each)
        finally:
            if feed is not None:
                feed.ignored = wrapped.ignored
    finally:
        if owned:
            stream.close()


def formation_items(element, xsd, ns: dict, version: str, digest: str = "", line_offset: int = 0) -> list:
    """The items of one <formation> element: its records (carrying digest as feed_hash), or one Rejected when it is
    off the schema. line_offset: added to the lines read (a formation parsed alone, see lheo_shared)."""
    if not xsd.validate(element):
        line, reason = schema_reason(xsd.error_log, version, NAMESPACES)
        identifier = element.get("numero") or "(sans identifiant)"
        return [Rejected(identifier, (line or element.sourceline or 0) + line_offset, reason)]
    return _formation_records(element, ns, digest, line_offset)


def _formations(
    stream: _Stream, namespace: str, version: str, unchanged=None, salt: bytes = b"", share=None, each=None
) -> Iterator[list | None]:
    """Per <formation>, in file order, the list of its items: its records, or one Rejected, or one Unchanged.
    share = (part, parts): this process validates and reads formation n only when n % parts == part, and
    yields None for the others (read by another process, see read_shared); each(element), if given, is called
    with every formation once it has been read or passed."""
    ns = {"l": namespace}
    xsd = schema(version)
    formations = 0
    try:
        formation_tag = f"{{{namespace}}}formation"
        action_tag = f"{{{namespace}}}action"
        parser = etree.iterparse(
            stream,
            events=("start", "end"),
            tag=(f"{{{namespace}}}lheo", formation_tag),
            # Blank text is kept: a formation's bytes (etree.tostring) keep its lines, so that a reader process
            # parsing them alone (lheo_shared) finds every line at the same offset from the formation's own.
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,  # libxml2's own limits (depth, text size) stay on
        )
        for event, element in parser:
            if event == "start" or element.tag != formation_tag:
                if stream.root is None:
                    stream.root = element  # the <lheo> root: from now on, _Stream.free can walk the tree
                continue
            formations += 1
            if share is not None and (formations - 1) % share[1] != share[0]:
                items = None
            else:
                digest, skipped = "", False
                if unchanged is not None:  # the bytes of a known formation: neither validated nor read again
                    digest = hashlib.sha256(salt + etree.tostring(element, with_tail=False)).hexdigest()
                    actions = sum(1 for _ in element.iterchildren(action_tag))
                    skipped = unchanged(digest, actions)
                if skipped:
                    items = [Unchanged(digest, actions)]
                else:
                    items = formation_items(element, xsd, ns, version, digest)
            if each is not None:
                each(element)
            yield items
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else error.lineno
        raise FeedError(f"XML mal formé : {french(error.msg)}", line) from error
    if not formations:
        raise FeedError("Le flux ne contient aucune <formation>.")
