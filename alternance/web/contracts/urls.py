from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("remuneration/", views.simulator, name="simulator"),
    path("contrats/nouveau/", views.contract_new, name="new"),
    path("contrats/<uuid:public_id>/", views.contract_detail, name="detail"),
    path("contrats/<uuid:public_id>/cerfa.pdf", views.contract_pdf, name="pdf"),
]
