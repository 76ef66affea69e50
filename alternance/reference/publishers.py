"""Where each referential is published: one table, with the publisher, the licence and the documenting page.

`url` is the download address of the file in the format `alternance.reference.loaders` reads (inside a ZIP
when `member` is set); an empty `url` means the publisher offers no file in that format, and the dataset
comes from a mirror (ALTERNANCE_DATA_URL, same layout as the data folder) or from a registry package.
`checked` says whether the address was seen answering: none could be from the machines this project is built
on (they reach no site but the package registries); the addresses below were read in public projects that
download them, as `seen_in` says. An operator who mirrors the files sets ALTERNANCE_DATA_URL instead.
Only reference's own datasets are listed here: a higher app's dataset brings its publisher with it
(`sources.PluggedDataset.publisher`), so that reference never names it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Publisher:
    dataset: str
    publisher: str
    licence: str
    page: str  # the page that documents the dataset
    url: str = ""  # download address in the format the loader reads ("" = none)
    kind: str = "csv"  # csv, json or zip
    member: str = ""  # glob of the file inside the ZIP
    checked: bool = False
    seen_in: str = ""  # where the address was read (it could not be tried from here)
    sha256: str = ""  # when the publisher gives one


ROME_ZIP = "https://api.emploi-store.fr/api/docs/romeopen/REF_ROME_CSV/1/RefRomeCsv.zip"
ROME_PAGE = "https://www.data.gouv.fr/fr/datasets/repertoire-operationnel-des-metiers-et-des-emplois-rome/"
BCN_EXPORT = "https://bcn.depp.education.fr/bcn/index.php/export/CSV?n={table}&separator=%3B"
LICENCE_OUVERTE = "Licence Ouverte / Open Licence 2.0 (Etalab)"

PUBLISHERS = {
    p.dataset: p
    for p in [
        Publisher(
            "rome_fiches",
            "France Travail",
            LICENCE_OUVERTE,
            ROME_PAGE,
            ROME_ZIP,
            "zip",
            "*cr_gd_dp*utf8.csv",
            seen_in="projets publics qui téléchargent le ROME (Makefile « RefRomeCsv.zip »)",
        ),
        Publisher(
            "rome_appellations",
            "France Travail",
            LICENCE_OUVERTE,
            ROME_PAGE,
            ROME_ZIP,
            "zip",
            "*referentiel_appellation*utf8.csv",
            seen_in="projets publics qui téléchargent le ROME (Makefile « RefRomeCsv.zip »)",
        ),
        Publisher("naf", "INSEE", LICENCE_OUVERTE, "https://www.insee.fr/fr/information/2406147"),
        Publisher("communes", "INSEE (COG) et Etalab", LICENCE_OUVERTE, "https://www.insee.fr/fr/information/2560452"),
        Publisher(
            "rome_naf_hirings",
            "Pôle emploi (La Bonne Boite)",
            "AGPL-3.0 (dépôt StartupsPoleEmploi/labonneboite)",
            "https://github.com/StartupsPoleEmploi/labonneboite",
        ),
        Publisher(
            "naf_division_rome",
            "France Travail",
            LICENCE_OUVERTE,
            "https://francetravail.io/data/api/rome-4-0-metiers",
        ),
        Publisher(
            "bcn",
            "DEPP — Base centrale des nomenclatures",
            LICENCE_OUVERTE,
            "https://bcn.depp.education.fr/bcn/",
            BCN_EXPORT.format(table="N_FORMATION_DIPLOME"),
            seen_in="catalogue-apprentissage et d'autres projets publics (export CSV de la BCN)",
        ),
        Publisher(
            "rncp_info",
            "France compétences",
            LICENCE_OUVERTE,
            "https://www.data.gouv.fr/fr/datasets/repertoire-national-des-certifications-professionnelles-et-repertoire-specifique/",
        ),
        Publisher(
            "kit",
            "France compétences et DEPP (kit apprentissage)",
            LICENCE_OUVERTE,
            "https://www.francecompetences.fr/",
        ),
        Publisher(
            "rncp_rome",
            "France compétences",
            LICENCE_OUVERTE,
            "https://www.data.gouv.fr/fr/datasets/repertoire-national-des-certifications-professionnelles-et-repertoire-specifique/",
        ),
        Publisher(
            "smic",
            "Légifrance (décrets de revalorisation), via OpenFisca",
            "AGPL-3.0 (paramètres openfisca-france)",
            "https://www.legifrance.gouv.fr/",
        ),
    ]
}
