"""The filing targets of a configuration, one per queue (bot.yaml `filing`: a target for all
queues, others for some), built once per configuration and checked at start."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from bots.config import BotConfig
from bots.filing.dms_hotfolder import DmsHotfolderTarget
from bots.filing.filesystem import FilesystemTarget
from bots.filing.index_template import IndexTemplate, TemplateProblem
from bots.filing.index_values import trial_values
from bots.filing.target import FilingTarget
from bots.handover_config import DMS_HOTFOLDER

__all__ = ["FilingSetupError", "TemplateProblem", "check_filing", "targets_for"]


class FilingSetupError(Exception):
    """The filing settings cannot work; the message names file and line."""


class FilingTargets:
    def __init__(self, config: BotConfig):
        self.config = config.filing
        self.filesystem = FilesystemTarget(config.efile_root)
        self.dms: DmsHotfolderTarget | None = None
        if DMS_HOTFOLDER in self.config.targets_used:
            template = IndexTemplate(self.config.dms.index_template, trials=trial_values())
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
