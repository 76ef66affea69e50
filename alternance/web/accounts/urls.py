from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("espace/", views.home, name="home"),
    path("espace/entreprise/rejoindre/", views.join_company, name="join_company"),
    path("espace/cfa/rejoindre/", views.join_organisation, name="join_organisation"),
    path("espace/entreprises/<str:siret>/candidatures/", views.company_inbox, name="company_inbox"),
    path("espace/entreprises/<str:siret>/fiche/", views.company_profile, name="company_profile"),
    path("espace/membres/<int:pk>/accepter/", views.accept_member, name="accept_member"),
    path("espace/membres/<int:pk>/retirer/", views.remove_member, name="remove_member"),
]
