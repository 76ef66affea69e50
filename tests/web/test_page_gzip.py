"""PageGZipMiddleware (alternance/web/middleware.py): Django's GZipMiddleware at zlib level 3, with its rules
and its padding against BREACH."""

import gzip

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from alternance.web.middleware import PageGZipMiddleware, compress_page

BODY = ("<p>Offres d'apprentissage autour de Lyon</p>\n" * 400).encode()


def answer(body=BODY, encoding="gzip, deflate, br", response=None):
    request = RequestFactory().get("/recherche/", headers={"accept-encoding": encoding})
    return PageGZipMiddleware(lambda r: response or HttpResponse(body))(request)


def test_a_page_is_compressed_and_reads_back_the_same():
    response = answer()
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == BODY
    assert int(response["Content-Length"]) == len(response.content) < len(BODY) / 10
    assert "Accept-Encoding" in response["Vary"]


def test_the_length_varies_from_one_answer_to_the_next():
    """BREACH: a random file name of 0 to 99 bytes in the gzip header, as Django's own middleware does."""
    lengths = {len(answer().content) for _ in range(30)}
    assert len(lengths) > 5
    first = answer().content
    assert first[3] & gzip.FNAME


def test_level_three_is_what_is_used():
    compressed = compress_page(BODY, max_random_bytes=1)
    assert compressed[10] == 0  # empty file name
    assert compressed[11:] == gzip.compress(BODY, compresslevel=3, mtime=0)[10:]


@pytest.mark.parametrize(
    ("body", "encoding"),
    [(b"<p>court</p>", "gzip"), (BODY, "identity"), (BODY, "br")],
)
def test_short_bodies_and_clients_without_gzip_get_the_plain_body(body, encoding):
    response = answer(body, encoding)
    assert not response.has_header("Content-Encoding")
    assert response.content == body


def test_a_strong_etag_becomes_weak_and_an_encoded_body_is_left_alone():
    page = HttpResponse(BODY)
    page["ETag"] = '"abc"'
    assert answer(response=page)["ETag"] == 'W/"abc"'
    encoded = HttpResponse(BODY)
    encoded["Content-Encoding"] = "br"
    assert answer(response=encoded).content == BODY


def test_streamed_answers_are_still_compressed_by_django_s_code():
    response = answer(response=StreamingHttpResponse(iter([BODY, BODY])))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == BODY * 2
