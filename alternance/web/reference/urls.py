from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("donnees/referentiels/", views.referentials, name="referentials"),
]
