from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("remuneration/", views.simulator, name="simulator"),
]
