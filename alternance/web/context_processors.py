"""Site-wide template context: the site configuration comes from settings, not from a database row."""

from types import SimpleNamespace

from django.conf import settings

MENU_SECTIONS = ("/remuneration/", "/organismes/", "/donnees/", "/espace/", "/comptes/")
"""Parts of the site the header marks as the current one (aria-current), by the start of the path; "/" alone
is the search."""


def menu_section(path: str) -> str:
    """The part of the site of this path, as the header tests it ("" outside the menu's parts)."""
    if path == "/":
        return "/"
    return next((section for section in MENU_SECTIONS if path.startswith(section)), "")


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
        # the header is kept per menu section and signed-in state (base.html, `{% frozen %}`)
        "menu_section": menu_section(request.path),
        "private_page": getattr(request, "is_private_page", False),
        "STATE_BRAND": state,
        "skiplinks": skiplinks,
        # « S'identifier avec ProConnect » on the sign-in page only when the provider is configured
        "PROCONNECT_ENABLED": bool(settings.PROCONNECT_CLIENT_ID and settings.PROCONNECT_CLIENT_SECRET),
    }
