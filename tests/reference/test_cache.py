"""The one referential cache: a value is built once, and rebuilt after a new ReferenceLoad."""

import pytest

from alternance.reference import cache
from alternance.reference.models import ReferenceLoad
from alternance.search.services import rome_rows

pytestmark = pytest.mark.django_db


def test_a_value_is_built_once_then_rebuilt_after_a_new_load(monkeypatch):
    monkeypatch.setattr(cache, "CHECK_SECONDS", 3600.0)  # even with a long delay, a load in-process is seen
    cache.forget()
    built = []
    assert cache.cached("test:value", lambda: built.append(1) or len(built)) == 1
    assert cache.cached("test:value", lambda: built.append(1) or len(built)) == 1
    ReferenceLoad.objects.create(sources={}, counts={})
    assert cache.cached("test:value", lambda: built.append(1) or len(built)) == 2


def test_search_rome_rows_honour_a_new_load():
    from alternance.reference.models import RomeOccupation

    cache.forget()
    assert rome_rows(["D1102"])["D1102"][0] == "Boulanger / Boulangère"
    RomeOccupation.objects.filter(code="D1102").update(label="Boulanger (nouveau libellé)")
    assert rome_rows(["D1102"])["D1102"][0] == "Boulanger / Boulangère"  # cached until the next load
    ReferenceLoad.objects.create(sources={}, counts={})
    assert rome_rows(["D1102"])["D1102"][0] == "Boulanger (nouveau libellé)"
    cache.forget()
