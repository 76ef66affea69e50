"""Reader of the UAI <-> SIRET extract of the CFA (cfa_uai_siret.cp1252.csv, cp1252, ';').

The CFA dataset belongs to organisations; it is loaded by `manage.py load_reference` with the referentials
through `reference.sources.register_dataset` (CFA_DATASET, registered in OrganisationsConfig.ready()).
"""

from pathlib import Path

from django.utils import timezone

from alternance.core.identifiers import uai_errors
from alternance.organisations.models import Organisation, OrganisationFact
from alternance.organisations.services import apply_declarations
from alternance.reference.loaders import INSEE_CODE, Row, excel_serial_date, read_csv
from alternance.reference.models import Commune
from alternance.reference.publishers import LICENCE_OUVERTE, TABLES, TABLES_HEAD, Publisher, github_copy
from alternance.reference.sources import Dataset, PluggedDataset
from alternance.reference.sync import TableCount

SOURCE = "cfa_uai_siret"
COLUMNS = ["numero_uai", "niveau_uai", "commune", "commune_libe", "denomination_principale", "patronyme_uai"]
COLUMNS += ["numero_siren_siret_uai", "date_ouverture", "date_fermeture", "adresse_uai", "code_postal_uai"]
# The fields this loader owns; `source` is only set when the row is created.
FIELDS = ["name", "address", "postcode", "city", "commune_id", "lat", "lon", "opened_on", "closed_on"]


def _siret(row: Row) -> str:
    value = row.data["numero_siren_siret_uai"].strip()
    if value and not (value.isdigit() and len(value) == 14):
        raise row.error(f"SIRET « {value} » invalide : 14 chiffres attendus")
    return value


# niveau_uai of the RAMSESE extract: 1 célibataire, 2 mère, 3 fille (attached to a mother), 4 mère et fille.
ATTACHED_LEVEL = "3"


def cfa_nature(level: str) -> str:
    """What the official file says of a CFA's role: a UAI « fille » trains for its mother CFA (formateur); any
    other CFA of the file (nature_uai 600/610: centre or section d'apprentissage) is responsable (BCN, RAMSESE)."""
    return "formateur" if level.strip() == ATTACHED_LEVEL else "responsable"


def official_name(denomination: str, patronyme: str) -> str:
    """The establishment's name as the file writes it: dénomination principale then patronyme (RAMSESE),
    e.g. « CTRE DE FORMATION D'APPRENTIS » + « DE L'INDUSTRIE AFPMA »; the patronyme alone reads as a fragment."""
    if patronyme and denomination and not patronyme.startswith(denomination):
        return f"{denomination} {patronyme}"
    return patronyme or denomination


def parse_cfa(path: Path) -> dict[tuple[str, str], dict]:
    """CFA keyed by (UAI, SIRET); name = dénomination principale followed by the patronyme (RAMSESE extract).

    `commune_insee` is the INSEE code; the opening and closing dates are Excel serial day numbers.
    """
    records = {}
    for row in read_csv(path, columns=COLUMNS, encoding="cp1252", delimiter=";"):
        uai = row.data["numero_uai"].strip().upper()
        errors = uai_errors(uai)
        if errors:
            raise row.error(f"UAI « {uai} » : {errors[0]}")
        key = (uai, _siret(row))
        if key in records:
            raise row.error(f"couple UAI « {key[0]} » / SIRET « {key[1]} » en double")
        name = official_name(row.text("denomination_principale"), row.text("patronyme_uai", required=False))
        records[key] = {
            "name": name[:255],
            "nature": cfa_nature(row.data["niveau_uai"]),
            "address": row.text("adresse_uai", required=False, max_length=255),
            "postcode": row.text("code_postal_uai", required=False, max_length=5),
            "city": row.text("commune_libe", required=False, max_length=255),
            "commune_insee": row.code("commune", INSEE_CODE, required=False),
            "opened_on": excel_serial_date(row.data["date_ouverture"]),
            "closed_on": excel_serial_date(row.data["date_fermeture"]),
        }
    return records


def sync_cfa(records: dict[tuple[str, str], dict], communes: dict[str, tuple]) -> TableCount:
    """Create or update the CFA organisations; `communes` maps INSEE code -> (lat, lon) of known communes.

    Keyed by (uai, siret). A CFA absent from the file is kept as it is (trainings reference it).
    """
    count = TableCount()
    existing = {(row["uai"], row["siret"]): row for row in Organisation.objects.values("pk", "uai", "siret", *FIELDS)}
    new, changed, changed_fields = [], [], set()
    now = timezone.now()
    for (uai, siret), record in records.items():
        insee = record["commune_insee"]
        lat, lon = communes.get(insee, (None, None))
        values = {name: record[name] for name in FIELDS if name in record}
        values.update(commune_id=insee if insee in communes else None, lat=lat, lon=lon)
        old = existing.get((uai, siret))
        if old is None:
            new.append(Organisation(uai=uai, siret=siret, source=SOURCE, **values))
            continue
        diff = [name for name in FIELDS if old[name] != values[name]]
        if diff:
            changed.append(Organisation(pk=old["pk"], uai=uai, siret=siret, updated_at=now, **values))
            changed_fields.update(diff)
        else:
            count.unchanged += 1
    if new:
        Organisation.objects.bulk_create(new, batch_size=500)
    if changed:
        Organisation.objects.bulk_update(changed, sorted(changed_fields | {"updated_at"}), batch_size=500)
        # the organisations' own declarations keep their weight over the file's new values (rules.choose)
        apply_declarations([o.pk for o in changed], official_source=SOURCE)
    count.created, count.updated = len(new), len(changed)
    _sync_nature_facts(records)
    return count


def _sync_nature_facts(records: dict[tuple[str, str], dict]) -> None:
    """Keep the file's nature of each CFA as a fact of source SOURCE (trainings.register combines it)."""
    uais = {uai for uai, _ in records}
    ids = {
        (uai, siret): pk
        for pk, uai, siret in Organisation.objects.filter(uai__in=uais).values_list("pk", "uai", "siret")
    }
    wanted = {(ids[key], record["nature"]) for key, record in records.items() if key in ids and record.get("nature")}
    facts = OrganisationFact.objects.filter(source=SOURCE, field=OrganisationFact.Field.NATURE)
    existing = dict(facts.values_list("organisation_id", "value"))
    stale = [org for org, value in existing.items() if (org, value) not in wanted]
    if stale:
        facts.filter(organisation_id__in=stale).delete()
    today = timezone.localdate()
    OrganisationFact.objects.bulk_create(
        [
            OrganisationFact(
                organisation_id=org, field=OrganisationFact.Field.NATURE, value=value, source=SOURCE, observed_on=today
            )
            for org, value in sorted(wanted)
            if existing.get(org) != value
        ],
        batch_size=500,
    )


def load_cfa(records: dict[tuple[str, str], dict]) -> TableCount:
    """sync_cfa with the coordinates of the communes as load_reference has just written them."""
    communes = {insee: (lat, lon) for insee, lat, lon in Commune.objects.values_list("insee", "lat", "lon")}
    return sync_cfa(records, communes)


def cfa_rows() -> int:
    return Organisation.objects.filter(source=SOURCE).count()


CFA_DATASET = PluggedDataset(
    dataset=Dataset(
        "cfa",
        "organismes/cfa_uai_siret.cp1252.csv",
        "CFA (UAI ↔ SIRET)",
        "absents — aucun CFA n'est préchargé",
    ),
    table="Organisation (CFA)",
    parse=parse_cfa,
    sync=load_cfa,
    count=cfa_rows,
    code=(__file__,),
    publisher=Publisher(
        "cfa",
        "DEPP — Base centrale des établissements",
        LICENCE_OUVERTE,
        "https://data.education.gouv.fr/",
        copies=(
            github_copy(
                TABLES,
                TABLES_HEAD,
                "server/src/jobs/convetionFilesImporter/assets/CFASousConvRegionale_latest-UAI.csv",
                "399001ce895aee92951eeaa3fc8dd837eb5d3460205305314de063c5f180d7d5",
            ),
        ),
        note=(
            "L'extrait UAI ↔ SIRET des CFA n'est pas publié tel quel par la DEPP : copie publique de l'extrait "
            "(933 CFA), figée en 2021."
        ),
    ),
)
