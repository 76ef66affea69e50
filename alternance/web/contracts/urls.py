from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("remuneration/", views.simulator, name="simulator"),
    path("contrats/nouveau/", views.contract_new, name="new"),
    path("contrats/nouveau/recapitulatif/", views.contract_summary, name="summary"),
    path("contrats/nouveau/recommencer/", views.contract_restart, name="restart"),
    path("contrats/nouveau/<slug:slug>/", views.contract_step, name="step"),
    path("contrats/<uuid:public_id>/", views.contract_detail, name="detail"),
    path("contrats/<uuid:public_id>/cerfa.pdf", views.contract_pdf, name="pdf"),
    path("espace/contrats/brouillons/", views.my_drafts, name="drafts"),
    path("espace/entreprises/<str:siret>/contrats/", views.company_contracts, name="company_contracts"),
]
