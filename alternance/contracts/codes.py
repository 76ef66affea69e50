"""Code lists of the official contract form, as its notice gives them (notice FA14 of cerfa n° 10103*12).

Each list is ((code, French label), ...): the code is what the form's box holds, the label what a person reads.
"""

EMPLOYER_TYPES = (
    ("11", "Entreprise inscrite au répertoire des métiers ou au registre des entreprises d'Alsace-Moselle"),
    ("12", "Entreprise inscrite uniquement au registre du commerce et des sociétés"),
    ("13", "Entreprise dont les salariés relèvent de la mutualité sociale agricole"),
    ("14", "Profession libérale"),
    ("15", "Association"),
    ("16", "Autre employeur privé"),
    ("21", "Service de l'État (administrations centrales et leurs services déconcentrés)"),
    ("22", "Commune"),
    ("23", "Département"),
    ("24", "Région"),
    ("25", "Établissement public hospitalier"),
    ("26", "Établissement public local d'enseignement"),
    ("27", "Établissement public administratif de l'État"),
    ("28", "Établissement public administratif local (y compris EPCI)"),
    ("29", "Autre employeur public"),
)
SPECIFIC_EMPLOYERS = (
    ("0", "Aucun de ces cas"),
    ("1", "Entreprise de travail temporaire"),
    ("2", "Groupement d'employeurs"),
    ("3", "Employeur saisonnier"),
    ("4", "Apprentissage familial : l'employeur est un ascendant de l'apprenti"),
)
NATIONALITIES = (("1", "Française"), ("2", "Union européenne"), ("3", "Étranger hors Union européenne"))
SOCIAL_REGIMES = (("1", "MSA"), ("2", "URSSAF"))
SEXES = (("M", "Masculin"), ("F", "Féminin"))
SITUATIONS = (
    ("1", "Scolaire"),
    ("2", "Prépa apprentissage"),
    ("3", "Étudiant"),
    ("4", "Contrat d'apprentissage"),
    ("5", "Contrat de professionnalisation"),
    ("6", "Contrat aidé"),
    ("7", "En formation au CFA, stagiaire de la formation professionnelle, avant un contrat d'apprentissage"),
    ("8", "En formation au CFA sans contrat, stagiaire de la formation professionnelle, après une rupture"),
    ("9", "Autre situation de stagiaire de la formation professionnelle"),
    ("10", "Salarié"),
    ("11", "Personne à la recherche d'un emploi (inscrite ou non à France Travail)"),
    ("12", "Inactif"),
)
DIPLOMA_TYPES = (
    ("13", "Aucun diplôme ni titre professionnel"),
    ("25", "Diplôme national du brevet"),
    ("26", "Certificat de formation générale"),
    ("33", "CAP"),
    ("34", "BEP"),
    ("35", "Mention complémentaire"),
    ("38", "Autre diplôme ou titre de niveau CAP ou BEP"),
    ("41", "Baccalauréat professionnel"),
    ("42", "Baccalauréat général"),
    ("43", "Baccalauréat technologique"),
    ("49", "Autre diplôme ou titre de niveau bac"),
    ("54", "Brevet de technicien supérieur"),
    ("55", "Diplôme universitaire de technologie"),
    ("58", "Autre diplôme ou titre de niveau bac + 2"),
    ("61", "Première année de master"),
    ("62", "Licence professionnelle"),
    ("63", "Licence générale"),
    ("69", "Autre diplôme ou titre de niveau bac + 3 ou 4"),
    ("71", "Master professionnel, DESS"),
    ("72", "Master recherche, DEA"),
    ("73", "Master indifférencié"),
    ("74", "Diplôme d'ingénieur, diplôme d'école de commerce"),
    ("79", "Autre diplôme ou titre de niveau bac + 5 ou plus"),
    ("80", "Doctorat"),
)
LAST_CLASSES = (
    ("01", "Dernière année du cycle suivie, diplôme ou titre obtenu"),
    ("11", "1re année du cycle suivie et validée"),
    ("12", "1re année du cycle suivie, non validée"),
    ("21", "2e année du cycle suivie et validée"),
    ("22", "2e année du cycle suivie, non validée"),
    ("31", "3e année du cycle suivie et validée"),
    ("32", "3e année du cycle suivie, non validée"),
    ("40", "Premier cycle de l'enseignement secondaire (collège) achevé"),
    ("41", "Études interrompues en classe de 3e"),
    ("42", "Études interrompues en classe de 4e"),
)
DIPLOMA_LEVELS = (
    ("0", "Aucun diplôme ou titre"),
    ("3", "Niveau 3 : CAP, BEP"),
    ("4", "Niveau 4 : baccalauréat"),
    ("5", "Niveau 5 : BTS, DUT, DEUST"),
    ("6", "Niveau 6 : licence, BUT, maîtrise"),
    ("7", "Niveau 7 : master, diplôme d'ingénieur"),
    ("8", "Niveau 8 : doctorat"),
)
CONTRACT_MODES = (
    ("1", "À durée limitée"),
    ("2", "Dans le cadre d'un CDI"),
    ("3", "Entreprise de travail temporaire"),
    ("4", "Activités saisonnières à deux employeurs"),
)
CONTRACT_TYPES = (
    ("11", "Premier contrat d'apprentissage de l'apprenti"),
    ("21", "Nouveau contrat, précédent contrat terminé chez le même employeur"),
    ("22", "Nouveau contrat, précédent contrat terminé chez un autre employeur"),
    ("23", "Nouveau contrat, précédent contrat rompu chez un autre employeur"),
    ("31", "Avenant : modification de la situation juridique de l'employeur"),
    ("32", "Avenant : changement d'employeur dans le cadre d'un contrat saisonnier"),
    ("33", "Avenant : prolongation après un échec à l'examen"),
    ("34", "Avenant : prolongation après la reconnaissance de travailleur handicapé"),
    ("35", "Avenant : modification du diplôme préparé"),
    ("36", "Avenant : autre changement (maître d'apprentissage, durée du travail…)"),
    ("37", "Avenant : modification du lieu d'exécution du contrat"),
    ("38", "Avenant : modification du lieu principal de la formation"),
)
DEROGATIONS = (
    ("11", "Âge de l'apprenti inférieur à 16 ans"),
    ("12", "Âge supérieur à 29 ans : cas prévus par le Code du travail"),
    ("21", "Réduction de la durée du contrat ou de la période d'apprentissage"),
    ("22", "Allongement de la durée du contrat ou de la période d'apprentissage"),
    ("50", "Cumul de dérogations"),
    ("60", "Autre dérogation"),
)
AMENDMENT_TYPES = frozenset(code for code, _ in CONTRACT_TYPES if code.startswith("3"))
RENEWAL_TYPES = frozenset({"21", "22", "23"})


def label_of(choices, code) -> str:
    """« 33 – CAP »: the code and its label, or the raw value when it is not in the list."""
    for key, label in choices:
        if key == code:
            return f"{key} – {label}"
    return str(code or "")
