"""The offer, company and training pages: content, closed offers, demonstration rows, 404s, query budgets."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from alternance.companies.models import OFFER_PUBLIC_STATUSES, Company
from alternance.offers import rules
from alternance.offers.workflow import OfferStatus
from alternance.reference.models import Commune
from alternance.search import details
from alternance.trainings.models import Training, TrainingSession
from tests.contracts.smic import ensure_smic_rates
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.SEARCH_FRESHNESS_SECONDS = 0
    details.reset()


@pytest.fixture
def smic():
    ensure_smic_rates()


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def squash(text: str) -> str:
    """Collapse ordinary white space, keep the no-break spaces of French typography."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def text_of(html: str) -> str:
    return squash(lxml_html.fromstring(html).text_content())


def json_ld_blocks(html: str) -> list[dict]:
    doc = lxml_html.fromstring(html)
    return [json.loads(node.text) for node in doc.xpath('//script[@type="application/ld+json"]')]


# ------------------------------------------------------------------------------------------------- offers
def test_offer_page_says_what_where_when_and_the_minimum_pay(client, smic):
    offer = OfferFactory(
        description="Fabrication du pain au levain.",
        rhythm="2 semaines en entreprise, 1 semaine au CFA",
        openings=2,
        applications_count=3,
        start_date=dt.date(2027, 9, 1),
        duration_months=24,
        company__address="12 rue de la République",
    )
    html = page(client, f"/offres/{offer.pk}/")
    text = text_of(html)
    assert offer.title in text and offer.company.name in text
    assert "Contrat d'apprentissage, 24\u00a0mois (2\u00a0ans)" in text
    assert "1er septembre 2027" in text
    assert "2 semaines en entreprise, 1 semaine au CFA" in text
    assert "Niveau 3\u00a0: CAP, BEP" in text
    assert "2 postes à pourvoir" in text
    assert "Fabrication du pain au levain." in text
    assert "12 rue de la République" in text and "Lyon" in text
    assert "Déjà 3 candidatures." in text
    doc = lxml_html.fromstring(html)
    assert doc.xpath('//a[normalize-space()="Postuler"]/@href') == [f"/offres/{offer.pk}/postuler/"]
    assert doc.xpath(f'//a[@href="/entreprises/{offer.company.siret}/"]')
    # Pay at 16, 18, 21 and 26 for a contract starting on 1 September 2027: 27, 43, 53 and 100 % of the SMIC.
    rows = [squash(tr.text_content()) for tr in doc.xpath('//*[@id="table-pay"]//tbody/tr')]
    assert [row.split(" ans")[0] for row in rows] == ["16", "18", "21", "26"]
    assert [re.search(r"(\d+)\u00a0%", row).group(1) for row in rows] == ["27", "43", "53", "100"]
    assert all(row.endswith("€") for row in rows)
    # The map is a progressive enhancement: the place is written, the map element waits for the script.
    assert doc.xpath('//div[@id="place-map" and @hidden and @role="img"]/@data-lat') == [f"{offer.lat:f}"]


def test_offer_pay_follows_the_pay_engine(client, smic):
    from alternance.contracts.services import compute_minimum_pay

    start = dt.date(2027, 9, 1)
    offer = OfferFactory(start_date=start)
    html = page(client, f"/offres/{offer.pk}/")
    expected = compute_minimum_pay(dt.date(2011, 9, 1), start, dt.date(2028, 8, 31))[0].minimum_monthly
    whole, cents = f"{expected:.2f}".split(".")
    assert f"{int(whole):,}".replace(",", "\u202f") + f",{cents}\u00a0€" in html


def test_open_offer_carries_a_job_posting(client, smic, rf):
    offer = OfferFactory(description="Pain & viennoiseries </script>", start_date=dt.date(2027, 9, 1))
    html = page(client, f"/offres/{offer.pk}/")
    assert '</script>"' not in html and "Pain \\u0026 viennoiseries \\u003C/script\\u003E" in html
    (posting,) = json_ld_blocks(html)
    assert posting["@context"] == "https://schema.org" and posting["@type"] == "JobPosting"
    assert posting["title"] == offer.title
    assert posting["description"] == "Pain & viennoiseries </script>"
    assert posting["hiringOrganization"]["name"] == offer.company.name
    assert posting["jobLocation"]["address"]["addressLocality"] == "Lyon"
    assert posting["jobLocation"]["address"]["addressCountry"] == "FR"
    assert posting["jobLocation"]["geo"]["latitude"] == offer.lat
    assert posting["datePosted"] == timezone.localdate(offer.published_at).isoformat()
    assert posting["validThrough"] == offer.expires_at.isoformat()
    assert posting["jobStartDate"] == "2027-09-01"
    assert posting["url"].endswith(f"/offres/{offer.pk}/")
    assert posting["occupationalCategory"] == "D1102"
    assert posting["baseSalary"]["currency"] == "EUR"
    assert posting["baseSalary"]["value"]["unitText"] == "MONTH"
    assert posting["baseSalary"]["value"]["minValue"] > 500


def test_no_job_posting_for_demonstration_or_closed_offers(client, smic):
    demo = OfferFactory(is_demo=True)
    filled = OfferFactory(status=OfferStatus.FILLED)
    for offer in (demo, filled):
        assert json_ld_blocks(page(client, f"/offres/{offer.pk}/")) == []


@pytest.mark.parametrize(
    ("status", "past_expiry", "applications", "title", "sentence"),
    [
        (OfferStatus.FILLED, False, 0, "Offre pourvue", "Cette offre est pourvue"),
        (OfferStatus.EXPIRED, False, 0, "Offre expirée", "Cette offre a expiré"),
        (OfferStatus.PUBLISHED, True, 0, "Offre expirée", "Cette offre a expiré"),
        (OfferStatus.CANCELLED, False, 0, "Offre retirée", "L'entreprise a retiré cette offre"),
        (OfferStatus.PAUSED, False, 0, "Offre suspendue", "L'entreprise a suspendu cette offre"),
        (OfferStatus.PUBLISHED, False, 80, "Offre complète", "Cette offre a reçu 80 candidatures, le maximum"),
    ],
)
def test_closed_offer_keeps_its_page_and_proposes_similar_offers(
    client, smic, status, past_expiry, applications, title, sentence
):
    offer = OfferFactory(status=status, applications_count=applications)
    if past_expiry:
        offer.expires_at = timezone.now() - dt.timedelta(days=1)
        offer.save()
    villeurbanne = Commune.objects.get(insee="69266")
    nearby = OfferFactory(title="Boulanger de nuit", commune=villeurbanne, lat=villeurbanne.lat, lon=villeurbanne.lon)
    OfferFactory(rome_id="D1104", appellation=None, title="Pâtissier voisin")  # another occupation
    html = page(client, f"/offres/{offer.pk}/")
    text = text_of(html)
    assert title in text and sentence in text
    doc = lxml_html.fromstring(html)
    assert not doc.xpath('//a[normalize-space()="Postuler"]')
    assert "/postuler/" not in html
    similar = doc.xpath('//*[@id="offres-proches"]//a/@href')
    assert similar == [f"/offres/{nearby.pk}/"]


def test_complete_offer_threshold():
    now = timezone.now()
    later = now + dt.timedelta(days=3)
    assert rules.availability("publiee", later, rules.MAX_APPLICATIONS - 1, now).accepts_applications
    complete = rules.availability("publiee", later, rules.MAX_APPLICATIONS, now)
    assert (complete.state, complete.accepts_applications) == ("complete", False)


def test_company_public_statuses_follow_the_offer_rules():
    assert set(OFFER_PUBLIC_STATUSES) == {s.value for s in rules.PUBLIC_STATUSES}


def test_draft_and_unknown_offers_get_the_french_404(client):
    draft = OfferFactory(status=OfferStatus.DRAFT, published_at=None)
    for url in (f"/offres/{draft.pk}/", "/offres/999999/", "/offres/abc/"):
        html = page(client, url, status=404)
        assert "Page introuvable" in html and "fr-header" in html and "Not Found" not in html


def test_demonstration_offer_is_badged_and_said_fictional(client, smic):
    offer = OfferFactory(is_demo=True)
    doc = lxml_html.fromstring(page(client, f"/offres/{offer.pk}/"))
    notice = squash(doc.xpath('string(//*[@id="demo-notice"])'))
    assert "Démonstration" in notice and "fictive" in notice


def test_offer_page_query_budget(client, smic, django_assert_max_num_queries):
    offer = OfferFactory()
    page(client, f"/offres/{offer.pk}/")  # warm the per-process caches
    with django_assert_max_num_queries(3):  # the offer with its joins, the SMIC history (+ session)
        page(client, f"/offres/{offer.pk}/")


def test_closed_offer_page_query_budget(client, smic, settings, django_assert_max_num_queries):
    offer = OfferFactory(status=OfferStatus.FILLED)
    OfferFactory.create_batch(5)
    page(client, f"/offres/{offer.pk}/")
    settings.SEARCH_FRESHNESS_SECONDS = 60  # as in production: the index polls the tables at most every 2 s
    with django_assert_max_num_queries(4):  # + the similar offers: one page query of the search
        html = page(client, f"/offres/{offer.pk}/")
    assert html.count('href="/offres/') == 4  # similar_offers() shows at most 4


def test_unpublished_offer_without_smic_says_so(client):
    from alternance.reference.models import SmicRate

    SmicRate.objects.all().delete()
    offer = OfferFactory()
    text = text_of(page(client, f"/offres/{offer.pk}/"))
    assert "SMIC" in text and "inconnu" in text


# ------------------------------------------------------------------------------------------------ companies
def test_company_without_offer_says_so_and_proposes_a_spontaneous_application(client):
    company = CompanyFactory(address="3 place Bellecour", size_band=Company.SizeBand.B11)
    html = page(client, f"/entreprises/{company.siret}/")
    text = text_of(html)
    assert company.name in text
    assert "Boulangerie et boulangerie-pâtisserie" in text and "10.71C" in text
    assert "10 à 19 salariés" in text
    assert "3 place Bellecour" in text
    assert "Cette entreprise n'a pas publié d'offre\u00a0: proposez-lui votre candidature spontanée." in text
    doc = lxml_html.fromstring(html)
    assert doc.xpath('//a[normalize-space()="Candidature spontanée"]/@href') == [
        f"/entreprises/{company.siret}/candidature/"
    ]
    # Why: the search's reason and the real share of the sector's hirings (rome_naf hirings of ../shared/data).
    why = squash(doc.xpath('string(//*[@id="why-hire"])'))
    assert "Les entreprises de ce secteur recrutent souvent des boulangers" in why
    assert re.search(r"Boulanger / Boulangère\u00a0: \d+(,\d)?\u00a0% des embauches du secteur", why)
    # The reply-rate spot is there, empty until applications exist.
    assert "Pas encore assez de candidatures" in squash(doc.xpath('string(//*[@id="reply-stats"])'))


def test_sector_reasons_use_the_search_rule():
    from alternance.reference.models import RomeNafWeight

    reasons = details.sector_reasons("10.71C", limit=50)
    assert reasons, "10.71C recrute des boulangers"
    rows = RomeNafWeight.objects.filter(naf_id="10.71C")
    total = sum(r.hirings for r in rows)
    shares = {r.rome_id: r.hirings / total for r in rows}
    for reason in reasons:
        assert reason.share == pytest.approx(shares[reason.rome])
    assert [r.share for r in reasons] == sorted((r.share for r in reasons), reverse=True)
    assert reasons[0].rome == max(shares, key=shares.get)


def test_company_with_offers_links_them(client):
    offer = OfferFactory()
    OfferFactory(company=offer.company, status=OfferStatus.FILLED, title="Ancienne offre pourvue")
    html = page(client, f"/entreprises/{offer.company.siret}/")
    doc = lxml_html.fromstring(html)
    assert doc.xpath('//*[@id="company-offers"]//a/@href') == [f"/offres/{offer.pk}/"]
    assert "n'a pas publié d'offre" not in text_of(html)


def test_company_closed_to_spontaneous_applications(client):
    hidden = CompanyFactory(accepts_spontaneous=False)
    page(client, f"/entreprises/{hidden.siret}/", status=404)
    offer = OfferFactory(company__accepts_spontaneous=False)
    html = page(client, f"/entreprises/{offer.company.siret}/")
    assert "/candidature/" not in html
    assert "ne reçoit pas de candidature spontanée" in text_of(html)


@pytest.mark.parametrize("siret", ["12345678901234", "123", "abcdefghijklmn"])
def test_unknown_company_gets_the_404(client, siret):
    assert "Page introuvable" in page(client, f"/entreprises/{siret}/", status=404)


def test_demonstration_company_is_badged(client):
    company = CompanyFactory(is_demo=True)
    notice = lxml_html.fromstring(page(client, f"/entreprises/{company.siret}/")).xpath(
        'string(//*[@id="demo-notice"])'
    )
    assert "Démonstration" in notice and "fictive" in notice


def test_company_page_query_budget(client, django_assert_max_num_queries):
    company = CompanyFactory()
    OfferFactory.create_batch(3, company=company)
    page(client, f"/entreprises/{company.siret}/")
    with django_assert_max_num_queries(3):  # the company, its open offers (+ session)
        page(client, f"/entreprises/{company.siret}/")


# ------------------------------------------------------------------------------------------------ trainings
def test_training_page_shows_the_cfa_verdict_place_diploma_and_sessions(client):
    training = TrainingFactory(romes=["D1102"], address="8 rue du Four", duration_months=24)
    organisation = training.organisation
    organisation.quality_verdict = "fiable"
    organisation.save()
    TrainingSession.objects.create(training=training, start_date=dt.date(2027, 9, 6), end_date=dt.date(2029, 6, 30))
    html = page(client, f"/formations/{training.pk}/")
    text = text_of(html)
    assert training.title in text and organisation.name in text
    assert "Données fiables" in text
    assert "8 rue du Four" in text and "Lyon" in text
    assert "Niveau 3\u00a0: CAP, BEP" in text
    assert "du 6 septembre 2027 au 30 juin 2029" in text
    assert "Boulanger / Boulangère" in text
    assert "Rythme" in text
    doc = lxml_html.fromstring(html)
    assert doc.xpath('//a[normalize-space()="Demander un rendez-vous"]/@href') == [
        f"/formations/{training.pk}/rendez-vous/"
    ]
    assert doc.xpath('//*[@id="cfa"]//a/@href')[0] == f"/organismes/{organisation.pk}/"


@pytest.mark.parametrize("status", [Training.Status.CLOSED, Training.Status.TO_CHECK, Training.Status.REJECTED])
def test_unpublished_training_gets_the_404(client, status):
    """Never published (a closed course too): no page."""
    training = TrainingFactory(status=status)
    page(client, f"/formations/{training.pk}/", status=404)


def test_a_course_closed_after_publication_keeps_its_page_and_says_so(client):
    """Like a filled offer: old links and bookmarks lead to a page that says the course is closed, without the
    appointment button, with the same search nearby."""
    from alternance.trainings.rules import ABSENT_FROM_FEED
    from alternance.trainings.status import change_status

    training = TrainingFactory(romes=["D1102"])
    change_status(training, Training.Status.TO_CHECK, rule="manuel")
    page(client, f"/formations/{training.pk}/", status=404)  # sent back to check: not public for now
    change_status(training, Training.Status.CLOSED, rule=ABSENT_FROM_FEED)
    doc = lxml_html.fromstring(page(client, f"/formations/{training.pk}/"))
    assert "Formation fermée" in doc.xpath('string(//*[@id="formation-fermee"])')
    assert not doc.xpath('//a[normalize-space()="Demander un rendez-vous"]')
    search = doc.xpath('//*[@id="formation-fermee"]//a/@href')
    assert any(h.startswith("/recherche/") and "rome=D1102" in h for h in search)


def test_demonstration_training_is_badged(client):
    training = TrainingFactory(is_demo=True)
    notice = lxml_html.fromstring(page(client, f"/formations/{training.pk}/")).xpath('string(//*[@id="demo-notice"])')
    assert "Démonstration" in notice and "fictive" in notice


def test_training_page_query_budget(client, django_assert_max_num_queries):
    training = TrainingFactory(romes=["D1102"])
    TrainingSession.objects.create(training=training, start_date=dt.date(2027, 9, 6))
    with django_assert_max_num_queries(4):  # training with joins, sessions, occupations (+ session)
        page(client, f"/formations/{training.pk}/")


# ------------------------------------------------------------------------------------------------- errors
def test_unknown_address_gets_the_french_dsfr_404(client):
    html = page(client, "/cette-page-n-existe-pas/", status=404)
    doc = lxml_html.fromstring(html)
    assert doc.xpath("string(//h1)") == "Page introuvable"
    assert doc.xpath("//html/@lang") == ["fr"]
    assert doc.xpath('//a[@href="/"]')


def test_500_page_needs_neither_the_database_nor_the_request(rf, django_assert_num_queries):
    from alternance.web.errors import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Erreur inattendue" in html and "fr-header" in html and 'lang="fr"' in html


def test_500_handler_is_installed(client, settings):
    from django.urls import get_resolver

    assert get_resolver().resolve_error_handler(500).__name__ == "server_error"
    assert get_resolver().resolve_error_handler(404).__name__ == "page_not_found"


# ---------------------------------------------------------------------------------------- search results
def test_every_search_result_links_to_its_page(client):
    offer = OfferFactory()
    company = CompanyFactory()
    training = TrainingFactory(romes=["D1102"])
    params = {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123", "rayon": "30"}
    doc = lxml_html.fromstring(page(client, "/recherche/?" + "&".join(f"{k}={v}" for k, v in params.items())))
    links = {
        kind: doc.xpath(f'//*[@id="resultats-{kind}"]//h3[@class="fr-card__title"]/a/@href')
        for kind in ("offer", "company", "training")
    }
    assert f"/offres/{offer.pk}/" in links["offer"]
    assert f"/entreprises/{company.siret}/" in links["company"]
    assert f"/formations/{training.pk}/" in links["training"]
    for hrefs in links.values():
        for href in hrefs:
            assert client.get(href).status_code == 200, href


def test_search_api_results_carry_their_page_address(client):
    offer = OfferFactory()
    company = CompanyFactory()
    training = TrainingFactory(romes=["D1102"])
    body = client.get("/api/v1/search", {"romes": "D1102", "lat": 45.76, "lon": 4.83, "radius_km": 30}).json()
    urls = {(r["type"], r["id"]): r["url"] for r in body["results"]}
    assert urls[("offer", offer.pk)] == f"/offres/{offer.pk}/"
    assert urls[("company", company.pk)] == f"/entreprises/{company.siret}/"
    assert urls[("training", training.pk)] == f"/formations/{training.pk}/"


def test_detail_pages_scripts_carry_the_csp_nonce(client, smic):
    offer = OfferFactory()
    training = TrainingFactory()
    for url in (f"/offres/{offer.pk}/", f"/entreprises/{offer.company.siret}/", f"/formations/{training.pk}/"):
        response = client.get(url)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        tags = re.findall(r"<(?:script|link rel=\"stylesheet\")\b[^>]*>", response.content.decode())
        assert tags and all(f'nonce="{nonce}"' in tag for tag in tags), (url, tags)


def test_offer_elsewhere_than_the_company_does_not_borrow_its_street_address(client, smic):
    paris = Commune.objects.get(insee="75056")
    offer = OfferFactory(company__address="3 place Bellecour", commune=paris, lat=paris.lat, lon=paris.lon)
    text = text_of(page(client, f"/offres/{offer.pk}/"))
    assert "3 place Bellecour" not in text and "Paris" in text
    assert client.get(f"/api/v1/offers/{offer.pk}").json()["place"]["address"] == ""


def test_company_closed_to_spontaneous_applications_with_only_a_filled_offer(client):
    offer = OfferFactory(company__accepts_spontaneous=False, status=OfferStatus.FILLED)
    text = text_of(page(client, f"/entreprises/{offer.company.siret}/"))
    assert "n'a pas d'offre ouverte en ce moment" in text and "n'a pas publié d'offre" not in text
