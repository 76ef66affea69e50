from django.urls import path

from . import views

app_name = "job_applications"
urlpatterns = [
    path("offres/<int:pk>/postuler/", views.apply_offer, name="apply_offer"),
    path("entreprises/<str:siret>/candidature/", views.apply_company, name="apply_company"),
    path("formations/<int:pk>/rendez-vous/", views.request_appointment, name="appointment"),
    path("candidatures/<uuid:public_id>/envoyee/", views.application_sent, name="sent"),
    path("rendez-vous/<uuid:public_id>/envoyee/", views.appointment_sent, name="appointment_sent"),
    path("mes-candidatures/<str:token>/", views.follow, name="follow"),
    path("mes-candidatures/<str:token>/retirer/<uuid:public_id>/", views.withdraw, name="withdraw"),
    path("mes-candidatures/<str:token>/supprimer/", views.delete_data, name="delete_data"),
    path("candidatures/<uuid:public_id>/repondre/<str:token>/", views.answer, name="answer"),
    path("candidatures/<uuid:public_id>/cv/<str:token>/", views.cv, name="cv"),
    path("rendez-vous/<uuid:public_id>/repondre/<str:token>/", views.appointment_answer, name="appointment_answer"),
    path("statistiques/", views.statistics, name="statistics"),
    path("courriels/", views.mailbox_list, name="mailbox"),
    path("courriels/<str:name>/", views.mailbox_message, name="mailbox_message"),
]
