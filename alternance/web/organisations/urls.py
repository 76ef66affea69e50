from django.urls import path

from . import space, views

app_name = "organisations"
urlpatterns = [
    path("organismes/", views.organisation_list, name="list"),
    path("organismes.csv", views.organisation_csv, name="list_csv"),
    path("organismes/<int:organisation_id>/", views.organisation_detail, name="detail"),
    path("donnees/qualite/", views.quality_report, name="quality"),
    path("donnees/qualite.csv", views.quality_csv, name="quality_csv"),
    path("espace/organismes/<int:organisation_id>/", space.home, name="space"),
    path("espace/organismes/<int:organisation_id>/fiche/", space.record, name="space_record"),
    path("espace/organismes/<int:organisation_id>/formations/", space.courses, name="space_courses"),
    path("espace/organismes/<int:organisation_id>/rendez-vous/", space.appointments, name="space_appointments"),
    path(
        "espace/organismes/<int:organisation_id>/rendez-vous/<uuid:public_id>/",
        space.appointment,
        name="space_appointment",
    ),
    path("espace/organismes/<int:organisation_id>/cles/", space.api_keys, name="space_keys"),
    path(
        "espace/organismes/<int:organisation_id>/cles/<int:key_id>/revoquer/",
        space.revoke_api_key,
        name="space_revoke_key",
    ),
]
