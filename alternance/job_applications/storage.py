"""Private storage of CV files: outside the static and media folders, with no URL of its own.

A CV is only ever read by a view that checked a signed link (web/job_applications) or attached to the
recruiter's e-mail; `url()` refuses, so no template can link a CV file directly.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_STORAGE_DIR/<folder>, the setting read at each use (tests change it)."""

    def __init__(self, folder: str):
        super().__init__(base_url=None)
        self.folder = folder

    @property
    def base_location(self):
        return Path(settings.PRIVATE_STORAGE_DIR) / self.folder

    @property
    def location(self):
        return str(self.base_location.resolve())

    def url(self, name):
        raise ValueError("Les fichiers privés n'ont pas d'adresse publique : utilisez un lien signé.")

    def deconstruct(self):
        return ("alternance.job_applications.storage.PrivateStorage", (self.folder,), {})


def cv_storage() -> PrivateStorage:
    return PrivateStorage("cv")
