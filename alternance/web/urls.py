from django.urls import include, path

urlpatterns = [
    path("", include("alternance.web.search.urls")),
    path("remuneration/", include("alternance.web.contracts.urls")),
    path("organismes/", include("alternance.web.organisations.urls")),
    path("formations/", include("alternance.web.trainings.urls")),
]
