from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organismes/", views.organisation_list, name="list"),
    path("organismes.csv", views.organisation_csv, name="list_csv"),
    path("organismes/<int:organisation_id>/", views.organisation_detail, name="detail"),
    path("donnees/qualite/", views.quality_report, name="quality"),
    path("donnees/qualite.csv", views.quality_csv, name="quality_csv"),
]
