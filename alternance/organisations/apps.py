from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "alternance.organisations"
    label = "organisations"

    def ready(self):
        # The CFA file is loaded by load_reference (reference owns the registration point, not the dataset).
        from alternance.organisations.loaders import CFA_DATASET
        from alternance.reference.sources import register_dataset

        register_dataset(CFA_DATASET)
