"""The organisation's own declarations: weights of the sources per field, checks of contact fields,
facts kept beside the official ones, and the register's choice (also after a reload of the official file)."""

import datetime as dt

import pytest

from alternance.organisations import rules
from alternance.organisations.loaders import SOURCE, parse_cfa, sync_cfa
from alternance.organisations.models import Organisation, OrganisationFact
from alternance.organisations.services import DeclarationError, declare_contact, declare_site, resolve_commune
from alternance.trainings.models import Training
from alternance.trainings.register import refresh_nature_and_quality
from tests.factories import OrganisationFactory, TrainingFactory, commune

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 1)
LATER = dt.date(2026, 6, 1)
D = rules.DECLARATION


@pytest.mark.parametrize(
    ("field", "source", "weight"),
    [
        ("contact_email", D, 10),
        ("phone", D, 10),
        ("website", D, 10),
        ("address", D, 10),
        ("postcode", D, 10),
        ("commune", D, 10),
        ("site", D, 10),
        ("uai", D, 0),
        ("siret", D, 0),
        ("name", D, 0),
        ("nature", D, 0),
        ("qualiopi", D, 0),
        ("closed_on", D, 0),
        ("address", "cfa_uai_siret", 1),
        ("uai", "lheo:carif", 1),
        ("unknown_field", D, 0),
    ],
)
def test_source_weights(field, source, weight):
    assert rules.source_weight(field, source) == weight


Obs = rules.Observation


@pytest.mark.parametrize(
    ("field", "observations", "expected"),
    [
        # contact fields: the declaration wins over an official source, older or newer
        ("address", [Obs("1 rue A", "cfa_uai_siret", LATER), Obs("2 rue B", D, DAY)], "2 rue B"),
        ("phone", [Obs("04 78 00 00 00", D, DAY), Obs("04 78 11 11 11", "lheo", LATER)], "04 78 00 00 00"),
        # between official sources: the latest date
        ("address", [Obs("1 rue A", "cfa_uai_siret", DAY), Obs("3 rue C", "lheo", LATER)], "3 rue C"),
        # identity: a declaration counts for nothing
        ("uai", [Obs("0010826T", D, LATER), Obs("0010856A", "cfa_uai_siret", DAY)], "0010856A"),
        ("name", [Obs("Mon CFA", D, LATER)], None),
        # empty values are no observation; ties are broken the same way whatever the order
        ("website", [Obs("", D, LATER)], None),
        ("website", [Obs("https://b.fr", "x", DAY), Obs("https://a.fr", "y", DAY)], "https://b.fr"),
        ("website", [Obs("https://a.fr", "y", DAY), Obs("https://b.fr", "x", DAY)], "https://b.fr"),
        ("phone", [], None),
    ],
)
def test_choose(field, observations, expected):
    chosen = rules.choose(field, observations)
    assert (chosen.value if chosen else None) == expected


def test_a_declared_uai_never_confirms_a_uai():
    result = rules.reconcile_uai([("0010826T", "cfa_uai_siret"), ("0010856A", D), ("0010856A", "lheo")])
    assert result.tie  # one official source each: the declaration did not tip the balance
    assert [c.uai for c in rules.reconcile_uai([("0010856A", D)]).candidates] == []


@pytest.mark.parametrize(
    ("value", "error", "formatted"),
    [
        ("04 78 12 34 56", "", "04 78 12 34 56"),
        ("04.78.12.34.56", "", "04 78 12 34 56"),
        ("+33 4 78 12 34 56", "", "04 78 12 34 56"),
        ("0033478123456", "", "04 78 12 34 56"),
        ("0612345678", "", "06 12 34 56 78"),
        ("04 78 12 34", "vous en avez saisi 8", None),
        ("00 78 12 34 56", "commence par 0 suivi d'un chiffre de 1 à 9", None),
        ("04 78 AB 34 56", "ne contient que des chiffres", None),
    ],
)
def test_french_phone_numbers(value, error, formatted):
    errors = rules.phone_errors(value)
    assert (error in errors[0]) if error else errors == []
    if formatted:
        assert rules.format_phone(value) == formatted


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("https://www.cfa-exemple.fr", True),
        ("http://cfa.fr/page", True),
        ("https://localhost", False),
        ("ftp://x.fr", False),
    ],
)
def test_websites(value, valid):
    assert (rules.website_errors(value) == []) is valid


@pytest.mark.parametrize(
    ("postcode", "name", "insee", "code"),
    [
        ("69003", "Lyon", "69123", ""),
        ("69003", "lyon 3e arrondissement", "69383", ""),
        ("69100", "", "69266", ""),  # Villeurbanne, alone under its postcode
        ("69003", "", None, "commune_required"),
        ("69003", "Paris", None, "commune_mismatch"),
        ("99999", "Lyon", None, "unknown_postcode"),
        ("6900", "Lyon", None, "invalid_postcode"),
        ("", "Lyon", None, "postcode_required"),
    ],
)
def test_resolve_commune(postcode, name, insee, code, reference_data):
    if code:
        with pytest.raises(DeclarationError) as info:
            resolve_commune(postcode, name)
        assert info.value.code == code and info.value.message and info.value.field in {"postcode", "commune"}
    else:
        assert resolve_commune(postcode, name).insee == insee


def test_a_declaration_is_kept_beside_the_official_value_and_wins(reference_data, django_user_model):
    member = django_user_model.objects.create_user("karim", "karim@example.org", "x")
    organisation = OrganisationFactory(address="1 place Bellecour", source=SOURCE)
    villeurbanne = commune("69266")
    declared = declare_contact(
        organisation,
        {"address": "12 rue des Lilas", "postcode": "69100", "commune": villeurbanne, "phone": "04 78 12 34 56",
         "contact_email": ""},
        declared_by=member,
        today=DAY,
    )  # fmt: skip
    assert declared == ["address", "commune", "phone", "postcode"]
    organisation.refresh_from_db()
    assert (organisation.address, organisation.postcode, organisation.city) == (
        "12 rue des Lilas",
        "69100",
        "Villeurbanne",
    )
    assert organisation.commune_id == "69266" and organisation.lat == villeurbanne.lat and organisation.phone
    facts = {(f.field, f.value, f.source) for f in organisation.facts.all()}
    assert ("address", "1 place Bellecour", SOURCE) in facts  # the official value stays, beside
    assert ("address", "12 rue des Lilas", D) in facts and ("commune", "69266", D) in facts
    fact = organisation.facts.get(field="phone", source=D)
    assert fact.declared_by == member and fact.observed_on == DAY and fact.source_label == "déclaration de l'organisme"

    # a new declaration replaces the previous one; an unchanged value declares nothing
    declare_contact(organisation, {"phone": "04 78 99 99 99"}, declared_by=member, today=LATER)
    assert list(organisation.facts.filter(field="phone").values_list("value", flat=True)) == ["04 78 99 99 99"]
    assert declare_contact(organisation, {"phone": "04 78 99 99 99"}, declared_by=member) == []


def test_a_reload_of_the_official_file_keeps_the_declaration(reference_data, data_dir):
    records = parse_cfa(data_dir / "organismes/cfa_uai_siret.cp1252.csv")
    sync_cfa(records, {})
    cfa = Organisation.objects.get(uai="0010826T", siret="85052026300011")
    declare_contact(cfa, {"address": "12 rue des Lilas", "postcode": "69003", "commune": commune("69123")})
    key = ("0010826T", "85052026300011")
    records[key] = {**records[key], "address": "NOUVELLE ADRESSE OFFICIELLE"}
    sync_cfa(records, {})
    cfa.refresh_from_db()
    assert cfa.address == "12 rue des Lilas"
    assert cfa.facts.filter(field="address", source=SOURCE, value="NOUVELLE ADRESSE OFFICIELLE").exists()


def test_a_declared_site(reference_data):
    organisation = OrganisationFactory()
    site = declare_site(organisation, name="Site de Vaise", address="3 quai Paul Sédaillan", postcode="69009",
                        commune=commune("69123"))  # fmt: skip
    again = declare_site(organisation, name="Site de Vaise", address="3 quai Paul Sédaillan", postcode="69009",
                         commune=commune("69123"))  # fmt: skip
    assert site.pk == again.pk and site.source == D and site.city == "Lyon"
    fact = organisation.facts.get(field=OrganisationFact.Field.SITE)
    assert fact.value == "Site de Vaise, 3 quai Paul Sédaillan, 69009 Lyon" and fact.source == D
    with pytest.raises(DeclarationError):
        declare_site(organisation, name="", address=" ", postcode="69009", commune=commune("69123"))


def test_demonstration_trainings_say_nothing_of_an_organisation_nature(reference_data):
    demo_only = OrganisationFactory(nature=Organisation.Nature.UNKNOWN)
    real = OrganisationFactory(nature=Organisation.Nature.UNKNOWN)
    TrainingFactory(organisation=demo_only, is_demo=True)
    TrainingFactory(organisation=real)
    TrainingFactory(organisation=OrganisationFactory(), trainer=demo_only, is_demo=True)
    refresh_nature_and_quality([demo_only.pk, real.pk])
    demo_only.refresh_from_db()
    real.refresh_from_db()
    assert demo_only.nature == Organisation.Nature.UNKNOWN
    assert real.nature == Organisation.Nature.RESPONSIBLE
    assert Training.objects.filter(organisation=demo_only, is_demo=True).exists()
