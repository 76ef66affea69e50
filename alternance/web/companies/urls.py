from django.urls import path

from . import views

app_name = "companies"
urlpatterns = [
    path("entreprises/<str:siret>/", views.company_detail, name="detail"),
]
