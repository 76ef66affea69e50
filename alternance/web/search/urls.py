from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.results, name="results"),
    path("suggestions/metiers/", views.suggest_occupation_options, name="suggest_occupations"),
    path("suggestions/lieux/", views.suggest_place_options, name="suggest_places"),
]
