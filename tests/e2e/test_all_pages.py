"""Every public page, at 1280 px and at 360 px: axe-core clean, no horizontal scrolling on a phone,
HTML under 100 KB compressed, a visible keyboard focus and a working « Contenu » skip link."""

import gzip
import json
import re

import pytest
from django.core.management import call_command

from alternance.companies.models import Company
from alternance.offers.models import Offer
from alternance.offers.workflow import OfferStatus
from alternance.organisations.models import Organisation
from alternance.reference.models import Diploma
from alternance.trainings.models import ImportReport, Training
from alternance.trainings.rules import ABSENT_FROM_FEED
from alternance.trainings.status import change_status
from tests.contracts.contract_data import BAKER_CFD, valid_contract
from tests.contracts.smic import ensure_smic_rates
from tests.e2e.conftest import axe_violations, e2e_db

pytestmark = [e2e_db]

WIDTHS = {"ordinateur": {"width": 1280, "height": 900}, "mobile": {"width": 360, "height": 740}}
MAX_COMPRESSED_BYTES = 100 * 1024
SIMULATION = "birth_date=2006-02-10&start_date=2026-09-01&end_date=2028-08-31"

# Every public page of alternance/web/**/urls.py and the API docs; "{organisation}", "{contract}",
# "{offer}", "{filled_offer}", "{company}", "{training}" and "{closed_training}" are filled from the seeded
# data. Pages behind a sign-in (the space, staff pages) are in SIGNED_IN_PAGES below.
PAGES = {
    "accueil": ("/", "form[action='/recherche/']"),
    "resultats": ("/recherche/?metier=boulanger&lieu=Lyon&rayon=30", "#resultats-offer .fr-card"),
    "resultats-offres": ("/recherche/?metier=boulanger&lieu=Lyon&rayon=30&type=offer", "#resultats-offer .fr-card"),
    "resultats-texte-libre": ("/recherche/?metier=infirmiere&lieu=Lyon&rayon=30", "#understood a"),
    "resultats-lieu-isole": (
        "/recherche/?metier=p%C3%A2tissi%C3%A8re&lieu=Saint-Flour&insee=15187&rayon=100",
        "#resultats-training .fr-card",
    ),
    "recherche-erreur": ("/recherche/?metier=&lieu=Lyon", ".fr-error-text, .fr-alert--error"),
    "simulateur": ("/remuneration/", "form[action='/remuneration/']"),
    "simulation": ("/remuneration/?" + SIMULATION, "#table-periods table"),
    "simulation-erreur": (
        "/remuneration/?birth_date=2006-02-10&start_date=2026-09-01&end_date=2026-08-01",
        ".fr-input-group--error",
    ),
    # the contract stepper (/contrats/nouveau/ redirects to the first step): one page per block of the official form
    "contrat-nouveau": ("/contrats/nouveau/employeur/", "form[action='/contrats/nouveau/employeur/']"),
    **{
        f"contrat-etape-{slug}": (f"/contrats/nouveau/{slug}/", f"form[action='/contrats/nouveau/{slug}/']")
        for slug in (
            "apprenti",
            "representant-legal",
            "maitres-apprentissage",
            "formation",
            "contrat",
            "remuneration",
        )
    },
    "contrat": ("/contrats/{contract}/", "#print-form button"),
    "organismes": ("/organismes/", "main form"),
    "organismes-recherche": ("/organismes/?identifiant=inconnu", "main h1"),
    "organismes-cle-fausse": ("/organismes/?identifiant=0010826A", "#identifiant-erreur"),
    "organismes-filtres": ("/organismes/?region=84", "main .fr-link--download"),
    "organisme": ("/organismes/{organisation}/", "main h1"),
    "donnees": ("/donnees/", "main table"),
    "tableau-de-bord": ("/tableau-de-bord/", "main table"),
    "offre": ("/offres/{offer}/", "#table-pay table"),
    "offre-pourvue": ("/offres/{filled_offer}/", "#offer-status"),
    "entreprise": ("/entreprises/{company}/", "#why-hire"),
    "formation": ("/formations/{training}/", "#cfa .fr-badge"),
    "formation-fermee": ("/formations/{closed_training}/", "#formation-fermee"),
    "page-introuvable": ("/offres/999999999/", "main h1"),
    "postuler": ("/offres/{offer}/postuler/", "#formulaire-candidature"),
    "candidature-spontanee": ("/entreprises/{company}/candidature/", "#formulaire-candidature"),
    "rendez-vous": ("/formations/{training}/rendez-vous/", "#formulaire-rendez-vous"),
    "rendez-vous-formation-fermee": ("/formations/{closed_training}/rendez-vous/", "#formation-fermee"),
    "candidature-envoyee": ("/candidatures/{application}/envoyee/", "main .fr-alert--success"),
    "rendez-vous-envoye": ("/rendez-vous/{appointment}/envoyee/", "main .fr-alert--success"),
    "suivi-candidatures": ("/mes-candidatures/{follow}/", ".candidature"),
    "supprimer-mes-donnees": ("/mes-candidatures/{follow}/supprimer/", "main form"),
    "reponse-recruteur": ("/candidatures/{application}/repondre/{answer}/", "#refuser"),
    "reponse-cfa": ("/rendez-vous/{appointment}/repondre/{appointment_answer}/", "#proposer-date"),
    "lien-expire": ("/mes-candidatures/lien-modifie/", "main h1"),
    "statistiques": ("/statistiques/", "#table-reponses table"),
    "courriels": ("/courriels/", "main h1"),
    "connexion": ("/comptes/login/", "main form[action='/comptes/login/']"),
    "creer-un-compte": ("/comptes/signup/", "main form[action='/comptes/signup/']"),
    "mot-de-passe-oublie": ("/comptes/password/reset/", "main form"),
    "verifier-adresse": ("/comptes/confirm-email/", "main h1"),
    # the recruiter's space (signed in: SIGNED_IN below), a company's offers and a CFA's offers under mandates
    "espace-offres": ("/espace/entreprises/{space_company}/offres/", "#liste-offres"),
    "espace-offre-nouvelle": ("/espace/entreprises/{space_company}/offres/nouvelle/", "#step-form #id_metier"),
    "espace-offre-contrat": (
        "/espace/entreprises/{space_company}/offres/{space_offer}/etapes/contrat/",
        "#remuneration table",
    ),
    "espace-offre-description": (
        "/espace/entreprises/{space_company}/offres/{space_offer}/etapes/description/",
        "#id_description",
    ),
    "espace-offre-recapitulatif": (
        "/espace/entreprises/{space_company}/offres/{space_offer}/etapes/recapitulatif/",
        "#offre-resume",
    ),
    "espace-offre": ("/espace/entreprises/{space_company}/offres/{space_offer}/", "#historique"),
    "espace-candidatures": ("/espace/entreprises/{space_company}/candidatures/", "#boite-candidatures"),
    "espace-cfa-offres": ("/espace/organismes/{space_cfa}/offres/", "#liste-offres"),
    "espace-cfa-offre-nouvelle": ("/espace/organismes/{space_cfa}/offres/nouvelle/", "#id_siret"),
    "espace-cfa-offre": ("/espace/organismes/{space_cfa}/offres/{space_cfa_offer}/", "#mandat"),
    "espace-cfa-candidatures": ("/espace/organismes/{space_cfa}/offres/candidatures/", "#taux-reponse"),
    # the CFA's own space (the same person administers the CFA "{space_cfa}"), its enrolments
    "espace-accueil": ("/espace/", "main h1"),
    "espace-contrats-brouillons": ("/espace/contrats/brouillons/", "#aucun-brouillon"),
    "espace-organisme": ("/espace/organismes/{space_cfa}/", "#espace-organisme"),
    "espace-organisme-fiche": ("/espace/organismes/{space_cfa}/fiche/", "#formulaire-coordonnees"),
    "espace-organisme-formations": ("/espace/organismes/{space_cfa}/formations/", "#formations"),
    "espace-organisme-rendez-vous": ("/espace/organismes/{space_cfa}/rendez-vous/", "#boite-rendez-vous"),
    "espace-organisme-demande": (
        "/espace/organismes/{space_cfa}/rendez-vous/{space_appointment}/",
        "#proposer-date",
    ),
    "espace-organisme-cles": ("/espace/organismes/{space_cfa}/cles/", "#formulaire-cle"),
    "espace-depot-inscriptions": ("/inscriptions/depot/?organisme={space_cfa}", "main form"),
    "espace-inscriptions-organisme": ("/inscriptions/organismes/{space_cfa}/", "main h1"),
}
# Pages seen signed in: page name -> the seeded person whose session the browser carries.
SIGNED_IN = {name: "recruteur" for name in PAGES if name.startswith("espace-")}
# Pages answered with another status than 200 (the same checks apply).
STATUSES = {"page-introuvable": 404, "lien-expire": 403}

# Pages behind a sign-in, with the same checks: name -> (who is signed in, path, selector). "staff" is a member
# of the staff; "recruiter" an active member (administrator) of "{company}", which owns "{company_contract}".
SIGNED_IN_PAGES = {
    "espace": ("recruiter", "/espace/", "main h1"),
    "espace-rejoindre-entreprise": ("recruiter", "/espace/entreprise/rejoindre/", "main form"),
    "espace-rejoindre-cfa": ("recruiter", "/espace/cfa/rejoindre/", "main form"),
    "espace-candidatures": ("recruiter", "/espace/entreprises/{company}/candidatures/", "main h1"),
    "espace-fiche": ("recruiter", "/espace/entreprises/{company}/fiche/", "main form"),
    "espace-contrats": ("recruiter", "/espace/entreprises/{company}/contrats/", "#contrats-entreprise table"),
    "contrat-entreprise": ("recruiter", "/contrats/{company_contract}/", "#owner-notice"),
    "referentiels": ("staff", "/donnees/referentiels/", "main h1"),
    "qualite": ("staff", "/donnees/qualite/", "main h1"),
    "imports": ("staff", "/imports/", "main h1"),
    "import": ("staff", "/imports/{import_report}/", "main h1"),
    "statut-formation": ("staff", "/formations/{training}/statut/", "main form"),
    "depot-inscriptions": ("staff", "/inscriptions/depot/", "main form"),
    "inscriptions-organisme": ("staff", "/inscriptions/organismes/{organisation}/", "main h1"),
}

# The API documentation (Swagger UI) needs its own script to draw: checked in test_api_docs, with « Essayer ».
SWAGGER_PATH = "/api/v1/docs"


@pytest.fixture
def site_data(reference_data, django_db_blocker, settings, private_storage):
    from alternance.contracts.services import create_contract
    from alternance.job_applications import services as applications
    from alternance.job_applications import tokens
    from tests.job_applications.files import pdf_bytes

    settings.ALTERNANCE_LOCAL_MAILBOX = True  # /courriels/, as under `make run`

    with django_db_blocker.unblock():
        call_command("seed_demo", scale="tiny", seed=7, verbosity=0)
        ensure_smic_rates()
        Diploma.objects.get_or_create(cfd=BAKER_CFD, defaults={"title": "BOULANGER (CAP)", "level": 3})
        contract = create_contract(valid_contract())
        organisation = Organisation.objects.order_by("pk").first()
        offers = Offer.objects.searchable().order_by("pk")
        offer, filled = offers[0], offers[1]
        filled.status = OfferStatus.FILLED  # a closed offer keeps its page (and proposes similar offers)
        filled.save()
        company = Company.objects.public().filter(accepts_spontaneous=True).order_by("pk").first()
        training, closed_training = Training.objects.visible().order_by("pk")[:2]
        change_status(closed_training, Training.Status.CLOSED, rule=ABSENT_FROM_FEED)  # its page stays, says so
        person = {"first_name": "Inès", "last_name": "Martin", "email": "ines@example.org", "message": "Bonjour."}
        application = applications.submit_application(offer=offer, cv=pdf_bytes(), **person)
        appointment = applications.request_appointment(training=training, reasons=["inscription"], **person)
        space = _recruiter_space(offer, organisation)
        people = signed_in_people(company)
        company_contract = create_contract(valid_contract(employer_siret=company.siret), company=company)
        import_report = ImportReport.objects.create(
            source="e2e", filename="flux.xml", state=ImportReport.State.SUCCEEDED
        )
        warm_indexes()
    assert organisation is not None, "load_reference charge les organismes"
    return {
        "contract": contract.public_id,
        "organisation": organisation.pk,
        "offer": offer.pk,
        "filled_offer": filled.pk,
        "company": company.siret,
        "training": training.pk,
        "closed_training": closed_training.pk,
        "application": application.public_id,
        "appointment": appointment.public_id,
        "follow": tokens.follow_token(application.email_digest),
        "answer": tokens.object_token(tokens.ANSWER_APPLICATION, application.public_id),
        "appointment_answer": tokens.object_token(tokens.ANSWER_APPOINTMENT, appointment.public_id),
        "company_contract": company_contract.public_id,
        "import_report": import_report.pk,
        "people": people,
        **space,
    }


def warm_indexes() -> None:
    """Build the process-wide indexes before the browser asks (the live server runs in this process): on a loaded
    machine their cold build made the first search page exceed the page timeout (as in test_search_phone)."""
    from alternance.reference.suggest import occupation_index, place_index
    from alternance.search import index

    occupation_index()
    place_index()
    index.reset()
    index.get_source()


def _recruiter_space(offer, organisation) -> dict:
    """A recruiter of the offer's company, also member of a CFA that posted an offer under a mandate."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import User

    from alternance.accounts import services as accounts
    from alternance.offers import services as offers

    person = User.objects.create_user("recruteur", "recruteur@example.org", "x")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    accounts.join_company(person, offer.company.siret)
    accounts.join_organisation(person, organisation.uai or organisation.siret)
    draft = offers.create_draft(offer.company, rome=offer.rome, appellation=offer.appellation, by=person)
    offers.update_posting(draft, {"diploma_level": 3, "start_asap": True, "duration_months": 24,
                                  "questions": ["Pourquoi ce métier ?"]})  # fmt: skip
    mandated = offers.create_draft(offer.company, rome=offer.rome, by=person, delegated_by=organisation,
                                   recipient="entreprise")  # fmt: skip
    # the CFA's space: a course of the catalogue and an appointment request to answer
    from alternance.job_applications import services as applications
    from tests.factories import TrainingFactory

    course = TrainingFactory(organisation=organisation, title="CAP Pâtissier")
    appointment = applications.request_appointment(
        training=course, reasons=["inscription"], first_name="Yanis", last_name="Benali",
        email="yanis@example.org", message="Bonjour.",
    )  # fmt: skip
    return {"space_company": offer.company.siret, "space_offer": draft.pk, "space_cfa": organisation.pk,
            "space_cfa_offer": mandated.pk, "space_user": person.pk,
            "space_appointment": appointment.public_id}  # fmt: skip


def session_cookies(live_server, user_id) -> list[dict]:
    """The session of a seeded person (by id), as a browser cookie for the live server."""
    from django.contrib.auth.models import User

    return session_cookie(User.objects.get(pk=user_id), live_server)


def signed_in_people(company) -> dict:
    """The people of SIGNED_IN_PAGES: a staff member and the administrator of ``company``."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import User

    from alternance.accounts import services as accounts

    people = {}
    for name, staff in (("staff", True), ("recruiter", False)):
        user = User.objects.create_user(f"{name}-e2e", f"{name}-e2e@example.org", "x", is_staff=staff)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        people[name] = user
    accounts.join_company(people["recruiter"], company.siret)
    return people


def session_cookie(user, live_server) -> list[dict]:
    """A signed-in session of ``user`` (Django's test client), as a cookie for the browser."""
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return [{"name": django_settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}]


def open_page(browser, viewport: dict, cookies: list[dict] | None = None):
    context = browser.new_context(locale="fr-FR", viewport=viewport, is_mobile=viewport["width"] < 400)
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def focus_after_skiplinks(page) -> dict:
    """Tab from the top of the page past the skip links; describe the focused element and its outline."""
    skiplinks = page.locator(".fr-skiplinks a").count()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(skiplinks + 1):
        page.keyboard.press("Tab")
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            // DSFR draws the ring on the element, or on its ::before inside a .fr-enlarge-link block.
            const rings = [getComputedStyle(el), getComputedStyle(el, '::before')]
                .filter(s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2);
            return {tag: el.tagName, text: el.textContent.trim().slice(0, 40),
                    skip: !!el.closest('.fr-skiplinks'), ring: rings.length > 0,
                    visible: box.width > 0 && box.height > 0};
        }"""
    )


FOCUS_SWEEP = 40


def tab_stops_without_focus_ring(page) -> list[str]:
    """Tab through the first FOCUS_SWEEP stops; list those without a 2 px outline on the element or on
    its ::before / ::after (DSFR draws it there in .fr-enlarge-link blocks). The calendar button inside a
    date field is the browser's own widget (it draws its ring, the field itself loses :focus)."""
    missing = []
    for _ in range(FOCUS_SWEEP):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const ring = [getComputedStyle(el), getComputedStyle(el, '::before'), getComputedStyle(el, '::after')]
                    .some(s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2);
                const picker = el.matches('input[type=date]') && !el.matches(':focus');
                return {ok: ring || picker, name: el.tagName + '#' + el.id + ' ' + el.textContent.trim().slice(0, 30)};
            }"""
        )
        if info is None:
            break
        if not info["ok"]:
            missing.append(info["name"])
    return missing


def check_page(
    browser,
    live_server,
    path: str,
    selector: str,
    viewport: dict,
    assert_accessible,
    status: int = 200,
    cookies: list[dict] | None = None,
) -> None:
    context, page = open_page(browser, viewport, cookies)
    try:
        response = page.goto(live_server.url + path)
        assert response.status == status, f"{path} : statut {response.status}"
        if cookies:  # signed in: the page itself, not a sign-in page it redirected to
            assert page.url == live_server.url + path, f"{path} : redirigé vers {page.url}"
        assert page.locator(selector).count() > 0, f"{path} : {selector} absent"
        body = response.body()
        compressed = len(gzip.compress(body))
        assert compressed < MAX_COMPRESSED_BYTES, f"{path} : {compressed} octets compressés"
        assert_accessible(page)
        if viewport["width"] <= 360:
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= 360, f"{path} : défilement horizontal ({scroll_width} px)"

        focused = focus_after_skiplinks(page)
        assert not focused["skip"], focused
        assert focused["visible"], focused
        assert focused["ring"], f"{path} : focus invisible {focused}"

        without_ring = tab_stops_without_focus_ring(page)
        assert without_ring == [], f"{path} : focus invisible sur {without_ring}"

        page.goto(live_server.url + path)  # tab again from the top of the page
        page.keyboard.press("Tab")
        skip = page.locator(".fr-skiplinks a", has_text="Contenu")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Contenu"
        assert skip.get_attribute("href") == "#content"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#content"
        assert page.evaluate("document.activeElement.id") == "content"
    finally:
        context.close()


# Known issues in templates owned by another package, reported to their owner; strict: the test fails
# as soon as the page is fixed, so the mark is removed then.
KNOWN_ISSUES: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_ISSUES[name]))
        if name in KNOWN_ISSUES
        else name
        for name in PAGES
    ],
)
def test_page_is_accessible_light_and_fits_a_phone(name, browser, live_server, site_data, assert_accessible):
    path, selector = PAGES[name]
    cookies = session_cookies(live_server, site_data["space_user"]) if name in SIGNED_IN else None
    for viewport in WIDTHS.values():
        status = STATUSES.get(name, 200)
        check_page(
            browser, live_server, path.format(**site_data), selector, viewport, assert_accessible, status, cookies
        )


@pytest.mark.parametrize("name", list(SIGNED_IN_PAGES))
def test_signed_in_page_is_accessible_light_and_fits_a_phone(
    name, browser, live_server, site_data, assert_accessible, django_db_blocker
):
    persona, path, selector = SIGNED_IN_PAGES[name]
    with django_db_blocker.unblock():
        cookies = session_cookie(site_data["people"][persona], live_server)
    for viewport in WIDTHS.values():
        check_page(browser, live_server, path.format(**site_data), selector, viewport, assert_accessible, 200, cookies)


def test_contract_form_errors_fit_a_phone(mobile_page, live_server, site_data, assert_accessible):
    """The contract form's first step sent empty: the error summary and every field in error stay within 360 px."""
    page = mobile_page
    page.goto(live_server.url + "/contrats/nouveau/")
    page.get_by_role("button", name="Enregistrer et continuer").press("Enter")
    page.locator("#errors-summary").wait_for()
    assert page.title().startswith("Erreur dans le formulaire — ")
    assert page.locator(".fr-input-group--error, .fr-select-group--error").count() > 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_burger_menu_opens_the_navigation_with_the_keyboard(mobile_page, live_server, assert_accessible):
    page = mobile_page
    page.goto(live_server.url + "/remuneration/")
    burger = page.locator(".fr-header__navbar .fr-btn--menu")
    assert burger.is_visible()
    nav_link = page.locator("#menu-principal").get_by_role("link", name="Organismes de formation")
    assert not nav_link.is_visible()
    # No empty brand bar: without the State brand the burger sits beside the service title.
    title_box = page.locator(".fr-header__service-title").bounding_box()
    burger_box = burger.bounding_box()
    same_row = burger_box["y"] < title_box["y"] + title_box["height"] < burger_box["y"] + 2 * burger_box["height"]
    assert same_row, (title_box, burger_box)
    assert title_box["x"] + title_box["width"] <= burger_box["x"]
    burger.focus()
    page.keyboard.press("Enter")
    menu = page.locator("#menu-principal")
    page.wait_for_function("document.querySelector('#menu-principal').classList.contains('fr-modal--opened')")
    assert burger.get_attribute("data-fr-opened") == "true"
    assert nav_link.is_visible()
    # The keyboard reaches the links of the opened menu.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Organismes de formation":
            break
    assert page.evaluate("document.activeElement.closest('#menu-principal') !== null")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Organismes de formation"
    assert_accessible(page)
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('#menu-principal').classList.contains('fr-modal--opened')")
    assert not menu.get_by_role("link", name="Organismes de formation").is_visible()


@pytest.mark.parametrize("state_brand", [False, True])
def test_state_brand_only_behind_its_setting(state_brand, settings, browser, live_server, assert_accessible):
    settings.ALTERNANCE_STATE_BRAND = state_brand
    for viewport in WIDTHS.values():
        context, page = open_page(browser, viewport)
        try:
            page.goto(live_server.url + "/remuneration/")
            logos = page.locator(".fr-logo")
            header_text = page.locator("header").inner_text()
            footer_text = page.locator("footer").inner_text()
            if state_brand:
                assert logos.count() == 2
                assert re.search(r"République\s+française", header_text, re.IGNORECASE)
                assert re.search(r"République\s+française", footer_text, re.IGNORECASE)
            else:
                assert logos.count() == 0
                assert "République" not in header_text and "République" not in footer_text
            home = page.locator(".fr-header__service a[href='/']")
            assert home.get_attribute("title").startswith("Accueil")
            assert home.is_visible()
            assert_accessible(page)
            if viewport["width"] <= 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            context.close()


# The API documentation: Swagger UI (shipped by django-ninja) inside the site's header and footer, in French,
# with colour and accessibility fixes of our own (alternance/web/static/alternance/swagger-docs.css and .js).
# axe-core finds nothing, on the page as loaded and with the search endpoint opened and tried.
SEARCH_OPERATION = "#operations-recherche-alternance_api_search_search"


def test_api_docs(browser, live_server, reference_data):
    for viewport in WIDTHS.values():
        context, page = open_page(browser, viewport)
        try:
            response = page.goto(live_server.url + SWAGGER_PATH)
            assert response.status == 200
            assert len(gzip.compress(response.body())) < MAX_COMPRESSED_BYTES
            page.locator("#swagger-ui .opblock").first.wait_for()
            assert page.evaluate("document.documentElement.lang") == "fr"
            assert page.locator("header.fr-header").count() == 1 and page.locator("footer.fr-footer").count() == 1
            assert page.locator("main a[href='/']").inner_text() == "Retour à la recherche"
            violations = axe_violations(page)
            assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)

            # « Essayer » then « Exécuter » on the search endpoint: the example values give a 200.
            operation = page.locator(SEARCH_OPERATION)
            operation.locator(".opblock-summary-control").click()
            operation.get_by_role("button", name="Essayer").click()
            assert operation.locator("tr[data-param-name='romes'] input").input_value() == "D1102,D1104"
            operation.get_by_role("button", name="Exécuter").click()
            status = operation.locator(".live-responses-table tbody .response-col_status").first
            status.wait_for()
            assert status.inner_text().strip() == "200"
            assert "Paramètres" in operation.inner_text() and "Réponse du serveur" in operation.inner_text()
            violations = axe_violations(page)
            assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
            if viewport["width"] <= 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            context.close()


# Skip links: the same on every page (RGAA 12.7), from alternance.web.context_processors.
SKIPLINKS_ISSUES: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=SKIPLINKS_ISSUES[name]))
        if name in SKIPLINKS_ISSUES
        else name
        for name in PAGES
    ],
)
def test_same_skiplinks_on_every_page(name, client, site_data, rf):
    from alternance.web.context_processors import site

    expected = [(link["link"], link["label"]) for link in site(rf.get("/"))["skiplinks"]]
    if name in SIGNED_IN:
        from django.contrib.auth.models import User

        client.force_login(User.objects.get(pk=site_data["space_user"]))
    html = client.get(PAGES[name][0].format(**site_data)).content.decode()
    links = re.findall(r'<a class="fr-link" href="(#[\w-]+)"[^>]*>([^<]+)</a>', html.split('class="fr-skiplinks"')[1])
    assert [(href, label.strip()) for href, label in links][: len(expected)] == expected
    assert len(links) >= len(expected) and links[len(expected) - 1][0] == "#footer"
    for target, _ in expected:
        assert f'id="{target[1:]}"' in html, target


# French typography in the shared header and footer and in the contract pages' own text: a
# non-breaking space before « : ; ! ? % € » and inside guillemets (the pay explanations and the date
# errors come from alternance.contracts.pay and are checked there).
TYPOGRAPHY_PAGES = [
    "simulateur",
    "contrat-nouveau",
    "contrat-etape-apprenti",
    "contrat-etape-contrat",
    "contrat",
    "offre",
    "offre-pourvue",
    "entreprise",
    "formation",
    "formation-fermee",
    "rendez-vous-formation-fermee",
    "page-introuvable",
]
BAD_SPACING = re.compile(r"[^\s\u00a0\u202f] [:;!?»%€]|« ")


@pytest.mark.parametrize("name", TYPOGRAPHY_PAGES)
def test_french_typography(name, client, site_data):
    from lxml import html as lxml_html

    response = client.get(PAGES[name][0].format(**site_data))
    doc = lxml_html.fromstring(response.content)
    # Text written by companies or catalogue feeds (.alt-user-text) is theirs, shown as they wrote it.
    for node in doc.xpath("//script | //style | //table | //*[contains(@class, 'alt-user-text')]"):
        node.drop_tree()
    text = " ".join(doc.text_content().split(" "))
    bad = sorted({text[max(m.start() - 20, 0) : m.end() + 10] for m in BAD_SPACING.finditer(text)})
    assert bad == []
    assert "\u00a0:" in doc.xpath("string(//footer)") or "\u00a0:" in doc.xpath("string(//main)")


def test_french_typography_of_contract_form_messages():
    from alternance.web.contracts.forms import ContractForm, SimulatorForm

    texts = []
    for form_class in (SimulatorForm, ContractForm):
        for field in form_class().fields.values():
            texts += [str(field.label), str(field.help_text), *map(str, field.error_messages.values())]
    assert len(texts) > 100
    bad = sorted({text for text in texts if BAD_SPACING.search(text)})
    assert bad == []


def test_navigation_without_javascript_on_a_phone(browser, live_server):
    """Without JavaScript the burger cannot open the menu: it is hidden and the footer's site map links
    every page of the main menu."""
    context = browser.new_context(locale="fr-FR", viewport=WIDTHS["mobile"], is_mobile=True, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/remuneration/")
        assert not page.locator(".fr-header__navbar .fr-btn--menu").is_visible()
        menu = page.locator("#menu-principal a.fr-nav__link")
        targets = {menu.nth(i).get_attribute("href") for i in range(menu.count())}
        assert {"/", "/remuneration/", "/organismes/", "/donnees/", "/api/v1/docs"} <= targets
        site_map = page.locator("footer .fr-footer__top a")
        links = [site_map.nth(i) for i in range(site_map.count())]
        reachable = {link.get_attribute("href") for link in links if link.is_visible()}
        assert targets <= reachable
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_role("link", name="Organismes de formation").last.click()
        page.wait_for_url("**/organismes/")
    finally:
        context.close()


def test_page_title_announces_form_errors(client, site_data):
    """RGAA 11.10: after a failed submission the page title says there is an error."""
    failed = client.get(PAGES["simulation-erreur"][0]).content.decode()
    assert "<title>Erreur dans le formulaire — " in failed
    passed = client.get(PAGES["simulation"][0]).content.decode()
    assert "<title>Rémunération minimale" in passed
