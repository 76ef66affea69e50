"""Background tasks of the contracts domain (Django's tasks framework, settings.TASKS)."""

from django.tasks import task

from alternance.contracts.services import purge_expired


@task
def purge_expired_contracts() -> dict:
    """The daily purge of ``manage.py purge_contracts``, for a scheduler that enqueues tasks."""
    contracts, drafts = purge_expired()
    return {"contracts": contracts, "drafts": drafts}
