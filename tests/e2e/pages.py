"""The page tables of the accessibility checks (test_all_pages.py, test_signed_in_pages.py, test_csp.py): every
page of alternance/web/**/urls.py with a selector proving its content, the viewports, the statuses."""

WIDTHS = {"ordinateur": {"width": 1280, "height": 900}, "mobile": {"width": 360, "height": 740}}

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
