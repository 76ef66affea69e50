"""The search pages, server side: resolution of typed text, filters, errors, query budget."""

import pytest

from alternance.reference import cache
from alternance.reference.models import Commune, ReferenceLoad, RomeOccupation
from alternance.web.search.forms import SearchForm
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon_items():
    villeurbanne = Commune.objects.get(insee="69266")
    cap = OfferFactory(diploma_level=3, commune=villeurbanne, lat=villeurbanne.lat, lon=villeurbanne.lon)
    bts = OfferFactory(diploma_level=5)
    training = TrainingFactory(romes=["D1102"], level=3)
    companies = CompanyFactory.create_batch(3)
    return {"cap": cap, "bts": bts, "training": training, "companies": companies}


def test_home_page_has_the_search_form(client):
    html = client.get("/").content.decode()
    assert 'role="combobox"' in html and 'name="metier"' in html and 'name="lieu"' in html
    for radius in ("10", "30", "60", "100"):
        assert f'<option value="{radius}"' in html


def test_typed_text_is_resolved_without_javascript(client, lyon_items):
    response = client.get("/recherche/", {"metier": "boulangere", "lieu": "lyon", "rayon": "30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Boulanger / Boulangère autour de Lyon" in html
    assert lyon_items["cap"].title in html
    assert "Candidature spontanée" in html and "n&#x27;a pas publié d&#x27;offre" in html


def test_demo_offers_and_companies_are_said_to_be_fictional(client, lyon_items):
    params = {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123"}
    assert "servent à montrer la plateforme" not in client.get("/recherche/", params).content.decode()
    lyon_items["cap"].is_demo = True
    lyon_items["cap"].save()
    html = client.get("/recherche/", params).content.decode()
    assert "servent à montrer la plateforme" in html and "Démonstration" in html


def test_level_filter_keeps_items_of_that_level_and_counts_facets(client, lyon_items):
    response = client.get(
        "/recherche/",
        {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123", "type": "offer", "niveau": "3"},
    )
    result = response.context["result"]
    assert result.counts["offer"] == 1
    assert [item.id for item in result.offers.items] == [lyon_items["cap"].id]
    assert result.facets["levels"][5] == 1  # the level facet ignores its own selection


@pytest.mark.parametrize(
    "params,message",
    [
        ({"metier": "", "lieu": "Lyon"}, "Indiquez un métier"),
        ({"metier": "boulanger", "lieu": ""}, "Indiquez une ville ou un code postal"),
        ({"metier": "qqqqzzz", "lieu": "Lyon"}, "Aucun métier ne correspond à «\u00a0qqqqzzz\u00a0»"),
        ({"metier": "boulanger", "lieu": "Zzzzville"}, "Aucune commune ne correspond à «\u00a0Zzzzville\u00a0»"),
        ({"metier": "x" * 500, "lieu": "Lyon"}, "100 caractères au plus"),
        ({"metier": "boulanger", "lieu": "Lyon", "rayon": "500"}, "10, 30, 60 ou 100 km"),
        ({"metier": "boulanger", "lieu": "Lyon", "debut": "demain"}, "JJ/MM/AAAA"),
    ],
)
def test_bad_input_gets_a_french_message_not_a_500(client, params, message):
    response = client.get("/recherche/", params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_results_page_has_a_query_budget(client, lyon_items, django_assert_max_num_queries, settings, monkeypatch):
    from alternance.reference import cache

    params = {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123", "rayon": "30"}
    client.get("/recherche/", params)  # warm the process-wide indexes (and see the new rows)
    settings.SEARCH_FRESHNESS_SECONDS = 3600  # measure between two polls of the index
    monkeypatch.setattr(cache, "CHECK_SECONDS", 3600.0)  # and between two checks for a new referential load
    with django_assert_max_num_queries(3):  # one page query per kind (occupation and commune: the cache)
        response = client.get("/recherche/", params)
    assert response.context["result"].counts["offer"] == 2
    assert len(response.context["groups"]) == 3


def test_suggestion_partials(client):
    html = client.get("/suggestions/metiers/", {"metier": "aide soignante"}).content.decode()
    assert 'data-value="J1501"' in html and 'role="option"' in html
    html = client.get("/suggestions/lieux/", {"lieu": "69003"}).content.decode()
    assert 'data-value="69123"' in html or 'data-value="69383"' in html
    assert client.get("/suggestions/metiers/", {"metier": ""}).content.decode().strip() == ""


def test_typed_text_says_what_was_understood_and_offers_other_readings(client):
    response = client.get("/recherche/", {"metier": "infirmiere", "lieu": "Lyon", "rayon": "30"})
    html = response.content.decode()
    assert response.context["result"] is not None
    assert "Résultats pour&nbsp;: <strong>Infirmier / Infirmière en soins généraux (IDE)</strong>" in html
    readings = response.context["other_readings"]
    assert 1 <= len(readings) <= 3 and "J1506" not in [rome for rome, _ in readings]
    rome, label = readings[0]
    assert f"rome={rome}&amp;metier=" in html and "insee=69123" in html  # one click, same place


def test_a_picked_occupation_has_no_other_readings(client):
    response = client.get("/recherche/", {"metier": "Boulanger / Boulangère", "rome": "D1102", "lieu": "Lyon"})
    assert response.context["other_readings"] == [] and "Résultats pour" not in response.content.decode()


def test_offer_cards_show_start_and_contract_length(client, lyon_items):
    params = {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123", "type": "offer"}
    html = client.get("/recherche/", params).content.decode()
    assert "contrat de 24&nbsp;mois" in html and "Début le " in html


def test_demo_trainings_are_badged(client, lyon_items):
    lyon_items["training"].is_demo = True
    lyon_items["training"].save()
    params = {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123", "type": "training"}
    response = client.get("/recherche/", params)
    assert response.context["result"].trainings.items[0].is_demo
    assert "Démonstration" in response.content.decode()


def test_sparse_place_shows_the_nearest_beyond_the_largest_distance(client, lyon_items):
    """Saint-Flour (15187) is about 180 km from the Lyon items: nothing within 100 km, the nearest shown."""
    params = {"metier": "pâtissière", "rome": "D1102", "lieu": "Saint-Flour", "insee": "15187", "rayon": "100"}
    response = client.get("/recherche/", params)
    html = response.content.decode()
    result = response.context["result"]
    assert result.counts == {"offer": 0, "company": 0, "training": 0}
    assert result.trainings.nearest and result.trainings.items[0].distance_km > 100
    assert result.offers.nearest and len(result.offers.items) == 2
    assert "Aucune formation à moins de 100 km : voici les plus proches." in result.notices
    assert "Essayez une distance plus grande" not in html and "Élargir à" not in html


def test_empty_kind_below_the_largest_distance_proposes_the_next_one(client, lyon_items):
    params = {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123", "rayon": "10"}
    params["niveau"] = "7"  # no training of level 7: the training group is empty within 10 km
    response = client.get("/recherche/", params)
    assert response.context["wider_radius"] == 30
    assert "Élargir à 30&nbsp;km" in response.content.decode()


LYON = {"metier": "Boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123"}


def resolved(params):
    form = SearchForm(params)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_chosen_place_and_occupation_come_from_the_referential_cache_until_a_new_load():
    assert resolved(LYON)["commune"].name == "Lyon" and resolved(LYON)["rome_labels"] == ["Boulanger / Boulangère"]
    Commune.objects.filter(insee="69123").update(name="Lugdunum")
    RomeOccupation.objects.filter(code="D1102").update(label="Boulange")
    assert resolved(LYON)["commune"].name == "Lyon"  # the cache, not the database
    ReferenceLoad.objects.create(sources={}, counts={})  # seen at once in this process
    data = resolved(LYON)
    assert data["commune"].name == "Lugdunum" and data["rome_labels"] == ["Boulange"]


def test_a_place_or_occupation_missing_from_the_cache_is_read_from_the_database():
    resolved(LYON)
    del cache.cached("web:search:communes", dict)["69123"]
    del cache.cached("web:search:romes", dict)["D1102"]
    data = resolved(LYON)
    assert (data["commune"].insee, data["commune"].lat is not None) == ("69123", True)
    assert data["romes"] == ["D1102"] and "understood" not in data


def test_an_inactive_place_or_occupation_is_not_chosen():
    Commune.objects.filter(insee="69123").update(is_active=False)
    RomeOccupation.objects.filter(code="D1102").update(is_active=False)
    ReferenceLoad.objects.create(sources={}, counts={})
    form = SearchForm(LYON)
    form.is_valid()  # the typed text is read instead, as the suggestion lists would
    assert "D1102" not in form.cleaned_data.get("romes", [])
    assert form.cleaned_data.get("commune") is None or form.cleaned_data["commune"].insee != "69123"


def test_search_forms_share_their_fields_but_not_their_data_or_errors():
    bad = SearchForm({"metier": "", "lieu": "Lyon", "rayon": "500", "debut": "demain"})
    assert not bad.is_valid()
    good = SearchForm({**LYON, "debut": "31/12/2027"})
    assert good.fields["metier"] is bad.fields["metier"] and good.fields is not bad.fields
    assert good.is_valid() and good.cleaned_data["debut"].isoformat() == "2027-12-31"
    assert bad.errors["metier"] == ["Indiquez un métier, par exemple «\u00a0boulanger\u00a0»."]
    assert bad.errors["rayon"] == ["Choisissez une distance de 10, 30, 60 ou 100 km."]
    assert bad.errors["debut"] == ["Saisissez une date de début au format JJ/MM/AAAA."]
    assert "rayon" not in good.errors and SearchForm().fields["rayon"].initial == 30


@pytest.mark.parametrize(
    "query",
    [
        "metier=Boulanger&rome=D1102&lieu=Lyon&insee=69123&rayon=30&page=2&type=offer",
        "niveau=3&metier=a%20b%26c&niveau=5&taille=1-9&lieu=Saint-%C3%89tienne&insee=42218&tri=date&debut=2027-01-01",
        "metier=%22%3E%3Cscript%3E&rome=&lieu=l%27%C3%A9t%C3%A9+%2B+x&insee=69123&accessible=on&type=company",
        "metier=x&metier=y&lieu=Lyon&lieu=Bron&insee=69123&rayon=100",
    ],
)
def test_the_page_s_query_strings_are_the_ones_query_dicts_wrote(query):
    """views._urlencode gives what the QueryDict copies gave (order, repeated names, quoting)."""
    from django.http import QueryDict

    from alternance.web.search.views import _urlencode

    get = QueryDict(query)
    expected = get.copy()
    expected.pop("page", None)
    expected.pop("type", None)
    elsewhere = expected.copy()
    for name in ("metier", "rome", "lieu", "insee"):
        elsewhere.pop(name, None)
    elsewhere.update({"lieu": "Lyon", "insee": "69123"})
    wider = expected.copy()
    wider["rayon"] = "60"
    query_lists = {name: values for name, values in get.lists() if name not in ("page", "type")}
    new_elsewhere = {n: v for n, v in query_lists.items() if n not in ("metier", "rome", "lieu", "insee")}
    new_elsewhere.update({"lieu": ["Lyon"], "insee": ["69123"]})
    assert _urlencode(query_lists) == expected.urlencode()
    assert _urlencode(new_elsewhere) == elsewhere.urlencode()
    assert _urlencode({**query_lists, "rayon": ["60"]}) == wider.urlencode()
