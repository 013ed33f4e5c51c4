"""The filing targets of a configuration, one per queue (bot.yaml `filing`: a target for all
queues, others for some), built once per configuration and checked at start."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from bots.config import BotConfig
from bots.filing.dms_hotfolder import DmsHotfolderTarget
from bots.filing.file_template import FileTemplate, TemplateProblem
from bots.filing.filesystem import FilesystemTarget
from bots.filing.handover import parse_key, sweep
from bots.filing.index_values import trial_values
from bots.filing.target import FilingTarget
from bots.handover_config import DMS_HOTFOLDER
from bots.storage.ledger import Ledger

__all__ = ["FilingSetupError", "TemplateProblem", "check_filing", "forget_recorded_hand_overs",
           "targets_for"]


class FilingSetupError(Exception):
    """The filing settings cannot work; the message names file and line."""


class FilingTargets:
    def __init__(self, config: BotConfig):
        self.config = config.filing
        self.filesystem = FilesystemTarget(config.efile_root, config.mounts)
        self.dms: DmsHotfolderTarget | None = None
        if DMS_HOTFOLDER in self.config.targets_used:
            template = FileTemplate(self.config.dms.index_template, trials=trial_values())
            self.dms = DmsHotfolderTarget(self.config.dms, template)

    def for_queue(self, queue: str) -> FilingTarget:
        if self.config.target_for(queue) == DMS_HOTFOLDER:
            return self.dms
        return self.filesystem


@functools.lru_cache(maxsize=8)
def targets_for(config: BotConfig) -> FilingTargets:
    """The targets of this configuration (its templates loaded once); TemplateProblem when a
    template cannot be used."""
    return FilingTargets(config)


def check_filing(config: BotConfig, queues: set[str]) -> FilingTargets:
    """At start: the templates load and render, each queue named in `filing: queues` exists
    (`queues`: the caseworker and team ids), and the DMS folders can be made, its staging
    folder on the hot folder's file system (a rename must move files between them)."""
    try:
        targets = targets_for(config)
    except TemplateProblem as exc:
        raise FilingSetupError(f"the DMS index template cannot be used:\n{exc}") from None
    for queue, _, line in config.filing.queues:
        if queue not in queues:
            raise FilingSetupError(f"{config.config_file}:{line}: filing queue {queue!r} is not "
                                   "a caseworker or team of caseworkers.yaml; correct the id")
    if targets.dms is not None:
        _check_dms_folders(config)
    return targets


def _check_dms_folders(config: BotConfig) -> None:
    dms = config.filing.dms
    try:
        for folder in (dms.folder, dms.staging_folder, dms.error_folder):
            Path(folder).mkdir(parents=True, exist_ok=True)
        same = os.stat(dms.folder).st_dev == os.stat(dms.staging_folder).st_dev
    except OSError as exc:
        raise FilingSetupError(f"{config.config_file}:{config.filing.line}: cannot create the "
                               f"DMS folder {exc.filename}: {exc.strerror}") from None
    if not same:
        raise FilingSetupError(f"{config.config_file}:{config.filing.line}: the DMS "
                               f"staging_folder {dms.staging_folder} must be on the file system "
                               f"of the hot folder {dms.folder}; put it beside or inside it")


def forget_recorded_hand_overs(config: BotConfig, ledger: Ledger) -> int:
    """Remove the marks of DMS hand-overs the ledger has recorded, and what a killed writer
    left in the staging folder; how many."""
    if DMS_HOTFOLDER not in config.filing.targets_used:
        return 0
    events = {"f": "filed", "r": "returned"}

    def recorded(key: str) -> bool:
        found = parse_key(key)
        return found is not None and ledger.count_events(found[0], events[found[1]]) >= found[2]

    return sweep(config.filing.dms.staging_folder, recorded)
