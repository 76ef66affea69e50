"""Writes of the training catalogue, one entry point for the other layers:

- publication statuses, the rules and their history: trainings.status;
- an LHEO import run (read and check, short transactions, close and publish): trainings.lheo_import, with the
  records' checks in trainings.lheo_records and the referentials in trainings.referentials;
- its undo journal: trainings.import_journal; uploads, queued runs and interrupted runs: trainings.import_runs;
- who owns a feed (the API key that may upload to it and read its reports): trainings.sources.
"""

from alternance.trainings.import_journal import forget_journal, undo_import, undo_interrupted_imports
from alternance.trainings.import_runs import (
    current_worker,
    delete_uploads,
    mark_interrupted_imports,
    queue_lheo_import,
    store_upload,
)
from alternance.trainings.lheo_import import BATCH_SIZE, MAX_REPORTED_ERRORS, LheoImport, import_lheo, run_queued_import
from alternance.trainings.sources import SourceTaken, claim_source, give_source, owned_sources
from alternance.trainings.status import (
    apply_rules,
    apply_rules_bulk,
    apply_rules_to_all,
    change_status,
    decide_manually,
    training_facts,
)

__all__ = [
    "BATCH_SIZE",
    "MAX_REPORTED_ERRORS",
    "LheoImport",
    "SourceTaken",
    "apply_rules",
    "apply_rules_bulk",
    "apply_rules_to_all",
    "change_status",
    "claim_source",
    "current_worker",
    "decide_manually",
    "delete_uploads",
    "forget_journal",
    "give_source",
    "import_lheo",
    "mark_interrupted_imports",
    "owned_sources",
    "queue_lheo_import",
    "run_queued_import",
    "store_upload",
    "training_facts",
    "undo_import",
    "undo_interrupted_imports",
]
