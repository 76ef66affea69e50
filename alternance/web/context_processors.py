"""Site-wide template context: the site configuration comes from settings, not from a database row."""

from types import SimpleNamespace

from django.conf import settings


def site(request):
    state = settings.ALTERNANCE_STATE_BRAND
    config = SimpleNamespace(
        site_title=settings.ALTERNANCE_SITE_TITLE,
        site_tagline="Trouver une formation, une offre ou une entreprise en apprentissage",
        header_brand="République française" if state else "",
        header_brand_html="République<br>française" if state else "",
        footer_brand="République française" if state else "",
        footer_brand_html="République<br>française" if state else "",
        footer_description="Plateforme ouverte de l'apprentissage : offres, formations, entreprises et données.",
        beta_tag=True,
        mourning=False,
        notice_title="",
        notice_description="",
        accessibility_status="NOT",
        operator_logo_file=None,
        operator_logo_alt="",
        operator_logo_width=0,
        language="fr",
    )
    skiplinks = [
        {"link": "#content", "label": "Contenu"},
        {"link": "#menu-principal", "label": "Menu"},
        {"link": "#footer", "label": "Pied de page"},
    ]
    return {
        "SITE_CONFIG": config,
        "STATE_BRAND": state,
        "skiplinks": skiplinks,
        # « S'identifier avec ProConnect » on the sign-in page only when the provider is configured
        "PROCONNECT_ENABLED": bool(settings.PROCONNECT_CLIENT_ID and settings.PROCONNECT_CLIENT_SECRET),
    }
