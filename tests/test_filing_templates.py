"""Templates (DMS index, posting export) and the hand-over settings of bot.yaml: every mistake
is refused when the bot starts, with the file and the line, never at the first invoice."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.config import ConfigError, load_config
from bots.filing.file_template import FileTemplate, TemplateProblem
from bots.filing.index_values import trial_values
from bots.wiring import BotCannotWork, open_config, open_context
from tests.conftest import write_bot_config
from tests.handover_fixtures import XML_TEMPLATE, dms_config, run_bot_with

GOOD = XML_TEMPLATE.read_text(encoding="utf-8").splitlines()


def _template(tmp_path: Path, lines: list[str], name: str = "index.xml.j2") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line_of(needle: str) -> int:
    return next(n for n, line in enumerate(GOOD, start=1) if needle in line)


def _broken(needle: str, replacement: str) -> tuple[list[str], int]:
    """The example template with the line holding `needle` replaced; that line's number."""
    number = _line_of(needle)
    return GOOD[:number - 1] + [replacement] + GOOD[number:], number


@pytest.mark.parametrize(("needle", "replacement", "message"), [
    ('name="Rechnungsnummer"', '      <Feld name="R">{{ fields.invoice_number }}{% endif %}</Feld>',
     "Encountered unknown tag 'endif'"),
    ('name="Aktenzeichen"', '      <Feld name="A">{{ aktenzeichen }}</Feld>',
     "'aktenzeichen' is undefined"),
    ('name="IBAN"', '      <Feld name="I">{{ fields.iban | as_money }}</Feld>',
     "No filter named 'as_money'"),
    ('name="Kreditor"', '      <Feld name="K">{{ fields.__class__.__mro__ }}</Feld>',
     "unsafe"),
])
def test_a_broken_index_template_is_refused_at_start_with_file_and_line(
        tmp_path, needle, replacement, message):
    lines, number = _broken(needle, replacement)
    template = _template(tmp_path, lines)
    config = open_config(dms_config(tmp_path, template))
    with pytest.raises(BotCannotWork) as refused:
        open_context(config)
    text = str(refused.value)
    assert f"{template}:{number}: " in text and message in text, text


def test_an_index_template_that_renders_no_xml_is_refused(tmp_path):
    template = _template(tmp_path, ["<Import>", "  <Dokument>{{ document_id }}</Import>"])
    with pytest.raises(TemplateProblem) as refused:
        FileTemplate(template, trials=trial_values())
    assert str(refused.value).startswith(f"{template}:")
    assert "renders no well-formed XML" in str(refused.value)


def test_the_command_line_refuses_a_broken_template_with_exit_2(tmp_path):
    lines, number = _broken('name="Regel"', '      <Feld name="Regel">{{ rule_id </Feld>')
    config = dms_config(tmp_path, _template(tmp_path, lines))
    result = run_bot_with(config, "run", "--once", timeout=120)
    assert result.returncode == 2
    assert f"index.xml.j2:{number}: " in result.stderr and "Traceback" not in result.stderr


def test_a_broken_posting_export_template_is_refused_at_start(tmp_path):
    template = _template(tmp_path, ["<Buchungen>", "{% for p in proposals %}",
                                    "  <B>{{ p.nonsense.deeper }}</B>", "{% endfor %}",
                                    "</Buchungen>"], name="export.xml.j2")
    config = write_bot_config(tmp_path, extra={"posting": {"xml_template": str(template)}})
    with pytest.raises(BotCannotWork) as refused:
        open_context(open_config(config))
    assert f"{template}:3: " in str(refused.value)


def test_the_example_templates_load_and_the_filters_speak_german(tmp_path):
    template = _template(tmp_path, ["{{ a | de_date }};{{ b | de_amount }};{{ c | csv }};"
                                    "{{ d | csv }};{{ e | de_date }}"], name="x.csv.j2")
    rendered = FileTemplate(template).render({"a": "2026-11-03", "b": "1234.5",
                                              "c": 'Müller; "Sohn"', "d": None, "e": None})
    assert rendered.decode() == '03.11.2026;1.234,50;"Müller; ""Sohn""";;\n'


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("filing:\n  target: dms\n", 2, "filing target 'dms' is not known"),
    ("filing:\n  queues:\n    krause: ftp\n", 3, "filing target 'ftp' is not known"),
    ("filing:\n  dms_hotfolder:\n    ready_marker: ready\n", 3, "'ready_marker' is the suffix"),
    ("filing:\n  archive: x\n", 2, "unknown setting 'archive' in filing"),
    ("posting:\n  required: [creditor, account]\n", 2, "'required' names unknown field(s)"),
    ("returns:\n  settle_seconds: soon\n", 2, "'settle_seconds' must be a number"),
])
def test_hand_over_settings_are_checked_with_file_and_line(tmp_path, text, line, expected):
    path = tmp_path / "config" / "bot.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(refused.value).startswith(f"{path}:{line}: {expected}"), str(refused.value)


def test_a_queue_of_its_own_target_must_be_a_known_caseworker(tmp_path):
    config = write_bot_config(tmp_path, extra={"filing": {
        "queues": {"kruse": "dms_hotfolder"},
        "dms_hotfolder": {"index_template": str(XML_TEMPLATE)}}})
    with pytest.raises(BotCannotWork) as refused:
        open_context(open_config(config))
    assert "filing queue 'kruse' is not a caseworker or team" in str(refused.value)
    assert f"{config}:" in str(refused.value)


def test_check_names_the_filing_target_and_a_broken_template(tmp_path):
    from bots.commands.check import run_checks
    good = {r.name: r for r in run_checks(open_config(dms_config(tmp_path)))}
    assert good["filing target"].detail == "dms_hotfolder"
    assert good["DMS hot folder"].status == "OK" and good["return folders"].status == "OK"
    lines, number = _broken('name="Regel"', '      <Feld name="Regel">{{ rule }}</Feld>')
    bad = dms_config(tmp_path / "b", _template(tmp_path, lines))
    [templates] = [r for r in run_checks(open_config(bad)) if r.name == "templates"]
    assert templates.status == "FAIL" and f":{number}: " in templates.detail
