from django.urls import path

from . import views

app_name = "offers"
urlpatterns = [
    path("offres/<int:pk>/", views.offer_detail, name="detail"),
]
