"""Shared builders for the tests of applications and appointments."""

from alternance.job_applications import services

from .files import pdf_bytes


def contact(**overrides) -> dict:
    data = {
        "first_name": "Inès",
        "last_name": "Martin",
        "email": "ines.martin@example.org",
        "phone": "06 12 34 56 78",
        "message": "Je cherche un apprentissage en boulangerie.",
    }
    data.update(overrides)
    return data


def apply(offer=None, company=None, **overrides):
    data = contact(**overrides)
    data.setdefault("cv", pdf_bytes())
    return services.submit_application(offer=offer, company=company, **data)


def ask(training, **overrides):
    data = contact(**overrides)
    data.setdefault("reasons", ["inscription", "dates"])
    return services.request_appointment(training=training, **data)
