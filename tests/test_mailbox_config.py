"""The `mailboxes:` section of bot.yaml: defaults, and errors that name the line and the fix."""

from pathlib import Path

import pytest
import yaml

from bots.config import ConfigError, load_config
from tests.conftest import REPO, write_bot_config

BASE = {"name": "eingang", "host": "mail.lv.example", "user": "rechnungen@lv.example",
        "password_env": "RBOT_MAIL_PASSWORD", "processed_folder": "Rechnungen/Verarbeitet",
        "failed_folder": "Rechnungen/Fehler"}


def config_with(tmp_path: Path, *entries: dict):
    return load_config(write_bot_config(tmp_path, extra={"mailboxes": list(entries)}))


def test_defaults(tmp_path):
    [mailbox] = config_with(tmp_path, BASE).mailboxes
    assert (mailbox.type, mailbox.tls, mailbox.port, mailbox.folder, mailbox.poll_seconds,
            mailbox.source, mailbox.ca_file) == ("imap", "implicit", 993, "INBOX", 60.0,
                                                 "mail", None)
    [starttls, ews] = config_with(tmp_path, BASE | {"tls": "starttls"},
                                  BASE | {"name": "ews", "type": "exchange"}).mailboxes
    assert (starttls.port, ews.port) == (143, 443)


def test_relative_ca_file_is_resolved_against_the_folder_of_bot_yaml(tmp_path):
    [mailbox] = config_with(tmp_path, BASE | {"ca_file": "ca.pem"}).mailboxes
    assert mailbox.ca_file == tmp_path / "config" / "ca.pem"


@pytest.mark.parametrize(("change", "words"), [
    ({"password": "geheim"}, "never put a password in YAML"),
    ({"tls": "none"}, "only allowed for 127.0.0.1"),
    ({"tls": "ssl"}, "tls one of implicit, starttls, none"),
    ({"type": "exchange", "tls": "starttls"}, "exchange: implicit only"),
    ({"type": "pop3"}, "type must be imap or exchange"),
    ({"password_env": "mein passwort"}, "NAME of an environment variable"),
    ({"processed_folder": "INBOX"}, "must differ from folder"),
    ({"failed_folder": ""}, "missing failed_folder"),
    ({"imap_host": "x"}, "unknown setting 'imap_host'"),
    ({"type": "exchange", "ca_file": "ca.pem"}, "REQUESTS_CA_BUNDLE"),
])
def test_invalid_entries_are_refused_with_the_fix(tmp_path, change, words):
    with pytest.raises(ConfigError, match=words) as error:
        config_with(tmp_path, BASE | change)
    assert str(error.value).startswith(str(tmp_path / "config" / "bot.yaml") + ":")


def test_plain_imap_on_loopback_is_allowed_for_tests(tmp_path):
    [mailbox] = config_with(tmp_path, BASE | {"host": "127.0.0.1", "tls": "none"}).mailboxes
    assert (mailbox.tls, mailbox.port) == ("none", 143)


def test_two_mailboxes_with_one_name_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="two mailboxes are named 'eingang'"):
        config_with(tmp_path, BASE, BASE)


def test_the_shipped_example_account_parses_when_uncommented(tmp_path):
    text = (REPO / "config" / "bot.yaml").read_text(encoding="utf-8")
    block = text[text.index("# mailboxes:"):].splitlines()
    lines = [line.removeprefix("# ") for line in block if line.startswith("#")]
    lines = lines[:next((i for i, line in enumerate(lines[1:], 1)
                         if not line.startswith(" ")), len(lines))]
    example = yaml.safe_load("\n".join(lines))["mailboxes"]
    [mailbox] = config_with(tmp_path, *example).mailboxes
    assert mailbox.password_env and mailbox.tls in ("implicit", "starttls")
