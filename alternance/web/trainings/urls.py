from django.urls import path

from . import views

app_name = "trainings"
urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:report_id>/", views.import_detail, name="import_detail"),
    path("formations/<int:training_id>/statut/", views.training_status, name="status"),
]
