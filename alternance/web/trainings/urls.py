from django.urls import path

from . import views

app_name = "trainings"
urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:report_id>/", views.import_detail, name="import_detail"),
    path("formations/<int:pk>/", views.training_detail, name="detail"),
    path("formations/<int:training_id>/statut/", views.training_status, name="status"),
    path("donnees/", views.open_data, name="open_data"),
    path("donnees/<str:filename>", views.open_data_file, name="open_data_file"),
]
