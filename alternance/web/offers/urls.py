from django.urls import path

from . import inbox, posting, views

app_name = "offers"

# The recruiter's offers, in the space of a company (by SIRET) or of a CFA (offers under mandates).
SPACE_ROUTES = [
    ("offres/", posting.offer_list, "offers"),
    ("offres/nouvelle/", posting.offer_new, "offer_new"),
    ("offres/<int:pk>/", posting.offer_manage, "offer"),
    ("offres/<int:pk>/etapes/<slug:step>/", posting.offer_step, "offer_step"),
    ("offres/<int:pk>/action/", posting.offer_action, "offer_action"),
]

urlpatterns = [
    path("offres/<int:pk>/", views.offer_detail, name="detail"),
    *[
        path(f"espace/entreprises/<str:siret>/{route}", view, name=f"company_{name}")
        for route, view, name in SPACE_ROUTES
    ],
    *[
        path(f"espace/organismes/<int:organisation_id>/{route}", view, name=f"organisation_{name}")
        for route, view, name in SPACE_ROUTES
    ],
    path(
        "espace/organismes/<int:organisation_id>/offres/candidatures/",
        inbox.organisation_inbox,
        name="organisation_inbox",
    ),
]
