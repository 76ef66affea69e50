from django.urls import path

from . import views

app_name = "enrolments"
urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/indicateurs.csv", views.dashboard_csv, name="dashboard_csv"),
    path("inscriptions/depot/", views.upload, name="upload"),
    path("inscriptions/depot/verification/", views.preview, name="preview"),
    path("inscriptions/organismes/<int:organisation_id>/", views.organisation_enrolments, name="organisation"),
]
