from django.urls import include, path

# Each package owns its URL prefixes (search: "/", contracts: "/remuneration/", "/contrats/",
# organisations: "/organismes/", trainings: "/formations/", "/imports/", offers: "/offres/",
# companies: "/entreprises/").
# organisations: "/organismes/", trainings: "/formations/", "/imports/",
# enrolments: "/tableau-de-bord/", "/inscriptions/").
urlpatterns = [
    path("", include("alternance.web.search.urls")),
    path("", include("alternance.web.contracts.urls")),
    path("", include("alternance.web.organisations.urls")),
    path("", include("alternance.web.trainings.urls")),
    path("", include("alternance.web.offers.urls")),
    path("", include("alternance.web.companies.urls")),
    path("", include("alternance.web.reference.urls")),
    path("", include("alternance.web.enrolments.urls")),
]
