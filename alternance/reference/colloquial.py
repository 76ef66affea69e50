"""Colloquial words for occupations, mapped to real ROME 4.0 appellations (code OGR).

The ROME lists official titles; young people type the words they use: « mécano », « cuistot », « assmat ».
Each entry adds the word to the searchable text of one appellation of the official referential (France
Travail, ROME 4.0, unix_referentiel_appellation): the appellation's own title is what the page shows. Keep
the table short and obvious: a word belongs here only when it names one occupation for most people and no
official title contains it. tests/reference/test_occupation_queries.py checks every code against the
official file and measures the suggestions on real queries.
"""

COLLOQUIAL_OCCUPATIONS: dict[str, int] = {
    "mécano": 16446,  # Mécanicien / Mécanicienne automobile (I1604)
    "cuistot": 13861,  # Cuisinier / Cuisinière (G1609)
    "kiné": 16136,  # Kinésithérapeute (J1404)
    "dev": 14153,  # Développeur / Développeuse informatique (M1805)
    "assmat": 11304,  # Assistant maternel / Assistante maternelle (K1310)
    "nounou": 11304,  # Assistant maternel / Assistante maternelle (K1310)
    "auxpuer": 11448,  # Auxiliaire de puériculture (J1304)
    "compta": 12786,  # Comptable (M1203)
    "ongles": 18212,  # Prothésiste ongulaire (D1240)
    "onglerie": 18212,  # Prothésiste ongulaire (D1240)
}
