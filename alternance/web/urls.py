from django.urls import include, path

# Each package owns its URL prefixes (search: "/", contracts: "/remuneration/", "/contrats/",
# organisations: "/organismes/", trainings: "/formations/", "/imports/", offers: "/offres/",
# companies: "/entreprises/", enrolments: "/tableau-de-bord/", "/inscriptions/"; job_applications:
# "/offres/<pk>/postuler/", "/entreprises/<siret>/candidature/", "/formations/<pk>/rendez-vous/",
# "/candidatures/", "/rendez-vous/", "/mes-candidatures/", "/statistiques/", "/courriels/"; accounts: "/espace/";
# allauth's pages are under "/comptes/" (config/urls.py).
urlpatterns = [
    path("", include("alternance.web.search.urls")),
    path("", include("alternance.web.contracts.urls")),
    path("", include("alternance.web.organisations.urls")),
    path("", include("alternance.web.trainings.urls")),
    path("", include("alternance.web.offers.urls")),
    path("", include("alternance.web.companies.urls")),
    path("", include("alternance.web.reference.urls")),
    path("", include("alternance.web.enrolments.urls")),
    path("", include("alternance.web.job_applications.urls")),
    path("", include("alternance.web.accounts.urls")),
]
