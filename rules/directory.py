"""Read and check the caseworker directory (caseworkers.yaml): caseworkers, teams, deputies."""

from __future__ import annotations

from rules.model import Absence, Caseworker, Team
from rules.problems import ProblemLog, did_you_mean
from rules.schema import (
    DIRECTORY_ID,
    check_keys,
    id_or_none,
    list_or_none,
    mapping_or_none,
    text_or_none,
)
from rules.values import DATE_HINT, config_date
from rules.yaml_lines import LineDict

DISTRIBUTIONS = ("round_robin", "fewest_open")


def parse_directory(doc: object, log: ProblemLog) -> tuple[dict[str, Caseworker], dict[str, Team]]:
    """Caseworkers and teams by id, in file order; problems go to ``log``."""
    top = mapping_or_none(doc, 1, "Verzeichnis der Sachbearbeitung", log)
    if top is None:
        return {}, {}
    check_keys(top, ("caseworkers", "teams"), "Verzeichnis der Sachbearbeitung", log)
    teams = _parse_teams(top["teams"], top.line_of("teams"), log) if "teams" in top else {}
    if "caseworkers" not in top:
        log.add(top.line, "im Verzeichnis der Sachbearbeitung fehlt die Liste 'caseworkers:'; bitte ergänzen")
        return {}, {}
    entries = list_or_none(top["caseworkers"], top.line_of("caseworkers"), "'caseworkers'", log)
    caseworkers: dict[str, tuple[Caseworker, LineDict]] = {}
    for index, entry in enumerate(entries or []):
        parsed = _parse_caseworker(entry, entries.line_of(index), set(teams), log)
        if parsed is None:
            continue
        if parsed.id in caseworkers:
            log.add(entry.line, f"die ID „{parsed.id}“ steht zweimal da; jede Sachbearbeitung braucht ihre eigene ID")
            continue
        caseworkers[parsed.id] = (parsed, entry)
    _check_deputies(caseworkers, log)
    members = {team_id: tuple(cid for cid, (cw, _) in caseworkers.items() if cw.team == team_id)
               for team_id in teams}
    teams = {tid: Team(t.id, t.name, t.distribution, members[tid]) for tid, t in teams.items()}
    return {cid: cw for cid, (cw, _) in caseworkers.items()}, teams


def _parse_teams(value: object, line: int, log: ProblemLog) -> dict[str, Team]:
    entries = list_or_none(value, line, "'teams'", log)
    teams: dict[str, Team] = {}
    for index, entry in enumerate(entries or []):
        entry = mapping_or_none(entry, entries.line_of(index), "Team", log)
        if entry is None:
            continue
        check_keys(entry, ("id", "name", "distribution"), "Team", log)
        team_id = id_or_none(entry, DIRECTORY_ID, "Team", log)
        name = text_or_none(entry, "name", "Team", log)
        distribution = entry.get("distribution", "round_robin")
        if distribution not in DISTRIBUTIONS:
            log.add(entry.line_of("distribution"),
                    f"distribution „{distribution}“ ist unbekannt{did_you_mean(distribution, DISTRIBUTIONS)}; "
                    f"möglich sind round_robin und fewest_open")
        if team_id in teams:
            log.add(entry.line, f"die Team-ID „{team_id}“ steht zweimal da; jedes Team braucht seine eigene ID")
        elif team_id and name:
            teams[team_id] = Team(team_id, name, distribution, ())
    return teams


def _parse_caseworker(entry: object, line: int, team_ids: set[str],
                      log: ProblemLog) -> Caseworker | None:
    entry = mapping_or_none(entry, line, "Sachbearbeitung", log)
    if entry is None:
        return None
    check_keys(entry, ("id", "name", "team", "deputies", "absences"), "Sachbearbeitung", log)
    cw_id = id_or_none(entry, DIRECTORY_ID, "Sachbearbeitung", log)
    name = text_or_none(entry, "name", "Sachbearbeitung", log)
    team = text_or_none(entry, "team", "Sachbearbeitung", log, required=False)
    if team is not None and team not in team_ids:
        log.add(entry.line_of("team"), f"das Team „{team}“ steht nicht unter 'teams:'"
                f"{did_you_mean(team, team_ids)}; dort ergänzen oder die ID berichtigen")
    deputies = _parse_deputies(entry, log)
    absences = _parse_absences(entry, log)
    if cw_id is None or name is None or deputies is None or absences is None:
        return None
    return Caseworker(cw_id, name, team, deputies, absences)


def _parse_deputies(entry: LineDict, log: ProblemLog) -> tuple[str, ...] | None:
    if "deputies" not in entry:
        return ()
    deputies = list_or_none(entry["deputies"], entry.line_of("deputies"), "'deputies'", log)
    if deputies is None:
        return None
    if not all(isinstance(d, str) for d in deputies):
        log.add(entry.line_of("deputies"), "'deputies' muss IDs der Sachbearbeitung auflisten, z. B. [yilmaz]")
        return None
    if len(set(deputies)) != len(deputies):
        log.add(entry.line_of("deputies"), "eine Vertretung steht zweimal unter 'deputies'; jede nur einmal nennen")
    return tuple(deputies)


def _parse_absences(entry: LineDict, log: ProblemLog) -> tuple[Absence, ...] | None:
    if "absences" not in entry:
        return ()
    items = list_or_none(entry["absences"], entry.line_of("absences"), "'absences'", log)
    if items is None:
        return None
    absences: list[Absence] = []
    for index, item in enumerate(items):
        item = mapping_or_none(item, items.line_of(index), "Abwesenheit", log)
        if item is None:
            return None
        check_keys(item, ("from", "to"), "Abwesenheit", log)
        days = []
        for key in ("from", "to"):
            day = config_date(item.get(key))
            if day is None:
                log.add(item.line_of(key), f"Abwesenheit: „{key}“ fehlt oder ist kein Datum; {DATE_HINT}")
            days.append(day)
        if None in days:
            return None
        if days[0] > days[1]:
            log.add(item.line, "die Abwesenheit endet, bevor sie beginnt; 'from' und 'to' tauschen")
            return None
        absences.append(Absence(days[0], days[1]))
    return tuple(absences)


def _check_deputies(caseworkers: dict[str, tuple[Caseworker, LineDict]], log: ProblemLog) -> None:
    """Deputies must exist and not be the caseworker themself. Chains may loop (mutual
    deputies, A <-> B, are common): the assignment walks each one once."""
    known = set(caseworkers)
    for cw, entry in caseworkers.values():
        for deputy in cw.deputies:
            if deputy == cw.id:
                log.add(entry.line_of("deputies"),
                        f"„{cw.id}“ ist als eigene Vertretung eingetragen; bitte streichen")
            elif deputy not in known:
                log.add(entry.line_of("deputies"),
                        f"die Vertretung „{deputy}“ von „{cw.id}“ steht nicht in diesem Verzeichnis"
                        f"{did_you_mean(deputy, known)}; ergänzen oder die ID berichtigen")
