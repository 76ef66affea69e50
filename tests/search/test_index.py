"""The in-process index: same answers as the database, freshness without restart, snapshots."""

import json
import random

import numpy as np
import pytest

from alternance.companies.models import Company
from alternance.offers import services as offer_services
from alternance.reference.models import Commune, NafCode
from alternance.search import index as search_index
from alternance.search.services import search
from alternance.search.sources import DatabaseSource
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory

pytestmark = pytest.mark.usefixtures("search_reference")

LYON = (45.7549, 4.8364)
PLACES = ["69123", "75056", "13055", "92012"]


def _ids(result, kind):
    """Ids of the items found within the radius (not the nearest ones shown when there are none)."""
    found = result.kind(kind)
    return [] if found.nearest else [i.id for i in found.items]


def _random_data(seed):
    rng = random.Random(seed)
    communes = {c.insee: c for c in Commune.objects.filter(insee__in=PLACES)}
    nafs = list(NafCode.objects.filter(code__in=["10.71C", "47.24Z", "56.10A", "47.22Z"]))
    for _ in range(25):
        c = communes[rng.choice(PLACES)]
        company = CompanyFactory(
            commune=c,
            naf=rng.choice(nafs),
            lat=c.lat + rng.uniform(-0.3, 0.3),
            lon=c.lon + rng.uniform(-0.3, 0.3),
            size_band=rng.choice(["NN", "01", "03", "12", "32"]),
            hires_on_platform=rng.choice([0, 0, 1, 5]),
            accessible_disability=rng.random() < 0.3,
        )
        if rng.random() < 0.6:
            OfferFactory(
                company=company,
                diploma_level=rng.choice([None, 3, 4, 5]),
                applications_count=rng.randint(0, 30),
                status=rng.choice(["publiee", "publiee", "pourvue", "suspendue"]),
            )
        if rng.random() < 0.3:
            TrainingFactory(
                commune=c,
                lat=company.lat,
                lon=company.lon,
                level=rng.choice([None, 3, 4]),
                romes=rng.sample(["D1102", "D1104"], rng.randint(1, 2)),
            )


@pytest.mark.parametrize("seed", [11, 12])
def test_index_gives_the_same_candidates_as_the_database(seed):
    _random_data(seed)
    live = search_index.build_index()
    reference = DatabaseSource()
    for romes in (["D1102"], ["D1104"], ["D1102", "D1104"]):
        for lat, lon in (LYON, (48.85659, 2.34292)):
            for radius in (5, 30, 100):
                for kind in ("offer", "company", "training"):
                    a = live.candidates(kind, romes, lat, lon, radius)
                    b = reference.candidates(kind, romes, lat, lon, radius)
                    ia, ib = np.argsort(a["id"]), np.argsort(b["id"])
                    assert a["id"][ia].tolist() == b["id"][ib].tolist()
                    np.testing.assert_allclose(a["distance_km"][ia], b["distance_km"][ib], atol=1e-6)
                    for name in ("level", "size", "sector", "applications"):
                        if name in b:
                            assert a[name][ia].tolist() == b[name][ib].tolist()


def test_publish_edit_fill_and_delete_are_searchable_without_restart():
    first = OfferFactory()
    assert _ids(search(romes=["D1102"], lat=LYON[0], lon=LYON[1], radius_km=30, types={"offer"}), "offer") == [first.id]
    draft = OfferFactory(status="brouillon", published_at=None, expires_at=None)
    offer_services.publish(draft)
    found = _ids(search(romes=["D1102"], lat=LYON[0], lon=LYON[1], radius_km=30, types={"offer"}), "offer")
    assert sorted(found) == sorted([first.id, draft.id])

    # edited: moved to Marseille, far from Lyon
    marseille = Commune.objects.get(insee="13055")
    draft.commune, draft.lat, draft.lon = marseille, marseille.lat, marseille.lon
    draft.save()
    assert _ids(search(romes=["D1102"], lat=LYON[0], lon=LYON[1], radius_km=30, types={"offer"}), "offer") == [first.id]
    assert _ids(
        search(romes=["D1102"], lat=marseille.lat, lon=marseille.lon, radius_km=30, types={"offer"}), "offer"
    ) == [draft.id]

    offer_services.fill(first)
    result = search(romes=["D1102"], lat=LYON[0], lon=LYON[1], radius_km=30, types={"offer"})
    assert _ids(result, "offer") == []
    assert result.offers.nearest and [i.id for i in result.offers.items] == [draft.id]  # the nearest, in Marseille

    draft.delete()
    assert _ids(search(romes=["D1102"], lat=marseille.lat, lon=marseille.lon, radius_km=30), "offer") == []


def test_two_worker_indexes_agree_after_a_change():
    """Two processes each hold their own index; both follow the database."""
    OfferFactory()
    workers = [search_index.build_index(), search_index.build_index()]
    new = OfferFactory(status="brouillon", published_at=None, expires_at=None)
    offer_services.publish(new)
    for worker in workers:
        assert new.id in worker.candidates("offer", ["D1102"], *LYON, 30)["id"].tolist()


def test_freshness_delay_is_respected_then_change_appears(settings, monkeypatch):
    settings.SEARCH_FRESHNESS_SECONDS = 2
    clock = [1000.0]
    monkeypatch.setattr(search_index.time, "monotonic", lambda: clock[0])
    worker = search_index.build_index()
    new = OfferFactory()
    clock[0] += 1.0  # within the delay: not polled yet
    assert new.id not in worker.candidates("offer", ["D1102"], *LYON, 30)["id"].tolist()
    clock[0] += 1.5  # 2.5 s after start: polled
    assert new.id in worker.candidates("offer", ["D1102"], *LYON, 30)["id"].tolist()


def test_snapshot_is_mapped_and_kept_fresh(tmp_path, settings):
    settings.SEARCH_INDEX_DIR = tmp_path
    _random_data(5)
    folder = search_index.write_snapshot()
    assert (tmp_path / "current").resolve() == folder
    loaded = search_index.load_snapshot()
    assert loaded is not None and loaded.origin == str(folder)
    assert isinstance(loaded.kinds["company"].state.base.points.xyz.base, np.memmap)
    built = search_index.build_index()
    for kind in ("offer", "company", "training"):
        a = loaded.candidates(kind, ["D1102"], *LYON, 100)
        b = built.candidates(kind, ["D1102"], *LYON, 100)
        assert sorted(a["id"].tolist()) == sorted(b["id"].tolist())
    new = OfferFactory()
    assert new.id in loaded.candidates("offer", ["D1102"], *LYON, 30)["id"].tolist()


def test_compaction_keeps_the_same_answers(monkeypatch):
    for _ in range(4):
        OfferFactory()
    worker = search_index.build_index()
    monkeypatch.setattr(search_index, "COMPACT_AT", 12)  # the 7 recent offers: overlay, then folded in

    def no_reload(kind):
        raise AssertionError("compaction must not read the whole table again")

    monkeypatch.setattr(search_index, "build_table", no_reload)
    extra = [OfferFactory() for _ in range(3)]
    got = worker.candidates("offer", ["D1102"], *LYON, 30)["id"].tolist()
    assert worker.kinds["offer"].state.overlay is None  # folded into the base
    assert set(o.id for o in extra) <= set(got) and len(got) == 7


def test_a_mass_change_reloads_the_table(monkeypatch):
    OfferFactory()
    worker = search_index.build_index()
    monkeypatch.setattr(search_index, "COMPACT_AT", 2)
    extra = [OfferFactory() for _ in range(3)]
    got = worker.candidates("offer", ["D1102"], *LYON, 30)["id"].tolist()
    assert worker.kinds["offer"].state.overlay is None and worker.kinds["offer"].state.dead is None
    assert set(o.id for o in extra) <= set(got) and len(got) == 4


def test_build_search_index_command(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    offer = OfferFactory()
    out = StringIO()
    call_command("build_search_index", dir=str(tmp_path), stdout=out)
    assert "Index de recherche écrit" in out.getvalue()
    loaded = search_index.load_snapshot(tmp_path)
    assert offer.id in loaded.candidates("offer", ["D1102"], *LYON, 10)["id"].tolist()


def test_snapshot_columns_are_point_aligned_and_an_older_layout_is_rebuilt(tmp_path, settings):
    settings.SEARCH_INDEX_DIR = tmp_path
    _random_data(6)
    folder = search_index.write_snapshot()
    loaded = search_index.load_snapshot()
    for kind in ("offer", "company", "training"):
        table = loaded.kinds[kind].state.base
        assert set(table.columns) == {"id", *search_index.ATTRS[kind]}
        for values in (*table.columns.values(), table.points.x, table.points.band):
            assert isinstance(values.base, np.memmap) and len(values) == len(table.points)
        row = np.asarray(table.points.row)
        assert table.columns["id"].tolist() == np.asarray(table.ids)[row].tolist()
    # a snapshot written with the previous layout (schema 3: row-aligned attributes) is not mapped
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps(meta | {"schema": 3}))
    assert search_index.load_snapshot() is None


def test_company_sector_columns_follow_each_candidate_naf(settings):
    """The sector weights come by runs of NAF (the candidates in point order) and by gather (the k nearest)."""
    _random_data(7)
    live = search_index.build_index()
    romes = ["D1104", "D1102"]
    best = live.best_sectors(romes)
    naf_of = dict(Company.objects.values_list("id", "naf_id"))
    for k in (None, 5):
        cands = live.candidates("company", romes, 48.85659, 2.34292, 800, k=k)
        assert len(cands["id"]) > (5 if k is None else 4)
        nafs = [naf_of[i] for i in cands["id"].tolist()]
        assert cands["sector"].tolist() == [best[naf][0] for naf in nafs]
        assert [romes[i] for i in cands["sector_rome"].tolist()] == [best[naf][1] for naf in nafs]
    settings.SEARCH_FRESHNESS_SECONDS = 60  # the weights are read again every 30 delays: kept meanwhile
    assert live.company_key_columns(romes) is live.company_key_columns(romes)  # kept per set of ROMEs
    again = live.candidates("company", romes, 48.85659, 2.34292, 800)
    assert again["sector"].tolist() == live.candidates("company", romes, 48.85659, 2.34292, 800)["sector"].tolist()
