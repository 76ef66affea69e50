"""Page weight through whitenoise with the production storage: hashed names, gzip and brotli copies,
a year-long immutable cache; first visit of the home and results pages <= 350 KB, repeat visits <= 30 KB.

Collecting all of django-dsfr (1,600 files) takes minutes, so the test collects only what the two pages
link to and what their style sheets refer to, with the same storage class as config/settings.py.
"""

import gzip
import posixpath
import re
import shutil
from pathlib import Path

import brotli
import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage
from django.test import Client, override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from config import settings as production_settings

pytestmark = pytest.mark.django_db

PAGES = {
    "home": ("/", {}),
    "results": ("/recherche/", {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123"}),
}
FIRST_VISIT_BUDGET = 350_000
REPEAT_VISIT_BUDGET = 30_000
YEAR = 365 * 24 * 3600
# The faces of Marianne the pages use (body 400, medium 500, bold 700); italics and Spectral are declared
# by the DSFR but only downloaded by a browser when a page uses them.
USED_FACES = re.compile(r"Marianne-(Regular|Medium|Bold)(\.[0-9a-f]{12})?\.woff2$")
STATIC_LINK = re.compile(r'(?:href|src)="/static/([^"?#]+)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")?#]+)")
ENCODINGS = "gzip, deflate, br"


def _body(response) -> bytes:
    if not response.streaming:
        return response.content
    if not hasattr(response, "_read"):
        response._read = b"".join(response.streaming_content)
        response.close()
    return response._read


def _decoded(response) -> bytes:
    body = _body(response)
    encoding = response.get("Content-Encoding")
    return brotli.decompress(body) if encoding == "br" else gzip.decompress(body) if encoding == "gzip" else body


def _linked(html: str) -> set[str]:
    """Static paths a browser fetches from this page (no « nomodule » script: modern browsers skip it)."""
    paths = set()
    for tag in re.findall(r"<(?:link|script)[^>]*>", html):
        if "nomodule" in tag or 'rel="apple-touch-icon"' in tag or 'rel="manifest"' in tag:
            continue
        paths.update(STATIC_LINK.findall(tag))
    return paths


def _with_references(paths: set[str]) -> set[str]:
    """These paths and, transitively, the files their style sheets refer to."""
    todo, seen = list(paths), set()
    while todo:
        path = todo.pop()
        if path in seen or not finders.find(path):
            continue
        seen.add(path)
        if path.endswith(".css"):
            text = Path(finders.find(path)).read_text(encoding="utf-8", errors="replace")
            for ref in CSS_URL.findall(text):
                if not ref.startswith(("data:", "http:", "https:", "/")):
                    todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(path), ref)))
    return seen


@pytest.fixture(scope="module")
def pages_and_static(django_db_setup, django_db_blocker, tmp_path_factory):
    """The pages' static files collected with the production storage into a temporary STATIC_ROOT."""
    with django_db_blocker.unblock():
        client = Client()
        paths = set()
        for url, params in PAGES.values():
            paths.update(STATIC_LINK.findall(client.get(url, params).content.decode()))
    needed = _with_references(paths)
    root = tmp_path_factory.mktemp("static")
    for path in needed:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(finders.find(path), root / path)
    backend = production_settings.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    storage = CompressedManifestStaticFilesStorage(location=root, base_url="/static/")
    source = FileSystemStorage(location=root)
    for _ in storage.post_process({p: (source, p) for p in needed}):
        pass
    storages = {**django_settings.STORAGES, "staticfiles": production_settings.STORAGES["staticfiles"]}
    with override_settings(STATIC_ROOT=root, STORAGES=storages, WHITENOISE_USE_FINDERS=False, DEBUG=False):
        yield root


def _visit(url, params):
    """(page bytes, {static path: response}) as a first-time browser gets them."""
    client = Client()
    page = client.get(url, params, headers={"accept-encoding": ENCODINGS})
    html = _decoded(page).decode()
    static = {}
    todo = list(_linked(html))
    while todo:
        path = todo.pop()
        if path in static:
            continue
        response = client.get("/static/" + path, headers={"accept-encoding": ENCODINGS})
        assert response.status_code == 200, path
        _body(response)  # read and closed
        static[path] = response
        if path.endswith(".css"):
            for ref in CSS_URL.findall(_decoded(response).decode()):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), ref))
                if ref.endswith(".woff2") and not USED_FACES.search(ref):
                    continue
                if ref.endswith((".woff2", ".css")):
                    todo.append(target)
    return page, static


@pytest.mark.parametrize("name", PAGES)
def test_static_files_are_hashed_compressed_and_cached_for_a_year(pages_and_static, name):
    _, static = _visit(*PAGES[name])
    assert any(p.endswith(".css") for p in static) and any(p.endswith(".js") for p in static)
    for path, response in static.items():
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", path), f"{path} has no hashed name"
        cache = response["Cache-Control"]
        assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= YEAR, path
        if path.endswith((".css", ".js")):
            assert response["Content-Encoding"] == "br", path
            if len(_decoded(response)) > 10_000:
                assert len(_body(response)) < len(_decoded(response)) / 3, path


@pytest.mark.parametrize("name", PAGES)
def test_first_and_repeat_visits_stay_within_budget(pages_and_static, name):
    page, static = _visit(*PAGES[name])
    assert page["Content-Encoding"] in ("gzip", "br")
    html = len(_body(page))
    first = html + sum(len(_body(r)) for r in static.values())
    assert first <= FIRST_VISIT_BUDGET, f"first visit {first:,} bytes: " + ", ".join(
        f"{p} {len(_body(r)):,}" for p, r in sorted(static.items(), key=lambda x: -len(_body(x[1])))
    )
    assert html <= REPEAT_VISIT_BUDGET, f"repeat visit (the page alone, the rest cached) {html:,} bytes"
    assert sum(bool(USED_FACES.search(p)) for p in static) == 3  # the fonts are counted
    print(f"{name}: first visit {first:,} bytes, repeat visit {html:,} bytes")


def test_gzip_copies_exist_for_browsers_without_brotli(pages_and_static):
    _, static = _visit(*PAGES["home"])
    css = next(p for p in static if p.endswith(".css"))
    response = Client().get("/static/" + css, headers={"accept-encoding": "gzip"})
    _body(response)
    assert response["Content-Encoding"] == "gzip" and gzip.decompress(_body(response))
