"""A real Dovecot IMAP server on 127.0.0.1 for the mailbox tests.

Each server gets a throwaway configuration, a TLS certificate made with openssl (a test CA and
a server certificate for 127.0.0.1), free ports and its own maildir; `stop()` ends it and
`start()` brings it back on the same ports with the same mail (to test recovery). Messages are
put with IMAP APPEND through a plain imaplib client, independent of the bot's own code.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "rechnungen", "geheim-im-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Certificate:
    ca_file: Path
    cert_file: Path
    key_file: Path


def make_certificate(folder: Path) -> Certificate:
    """A test CA and a server certificate for 127.0.0.1/localhost signed by it (EC keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (folder / n for n in
                                  ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    ext = folder / "server.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                   "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n")
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for args in (
        ["req", "-x509", *curve, "-keyout", ca_key, "-out", ca, "-days", "2",
         "-subj", "/CN=rbot test CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["req", *curve, "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
         "-out", cert, "-days", "2", "-extfile", ext],
    ):
        subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)
    return Certificate(ca, cert, key)


class Dovecot:
    """One Dovecot instance: IMAP with STARTTLS on `port`, implicit TLS on `tls_port`.

    `capabilities` replaces the post-login capability list (e.g. without MOVE, to make the
    bot take the UID COPY + UID EXPUNGE path)."""

    def __init__(self, certificate: Certificate, capabilities: str | None = None):
        self.certificate = certificate
        self.port, self.tls_port = free_port(), free_port()
        # Dovecot drops privileges to the mail user, so the maildir must not lie below a
        # private folder (pytest's tmp_path is 0700 when the tests run as root).
        self.base = Path(tempfile.mkdtemp(prefix="rbot-dovecot-"))
        os.chmod(self.base, 0o755)
        self.capabilities = capabilities
        self.process: subprocess.Popen | None = None
        self._write_config()

    # -- lifecycle --------------------------------------------------------------

    def start(self) -> Dovecot:
        log = (self.base / "dovecot.out").open("ab")
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.base / "dovecot.conf")],
                                        stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.log_text()}")
            if _accepts(self.port) and _accepts(self.tls_port):
                return self
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start: {self.log_text()}")

    def stop(self) -> None:
        """End the server and all its processes at once (SIGKILL to its process group), as
        an outage would; its mail stays for `start()`."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None
        deadline = time.monotonic() + 10
        while (_accepts(self.port) or _accepts(self.tls_port)) and time.monotonic() < deadline:
            time.sleep(0.02)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def idling(self) -> int:
        """How many of this server's IMAP sessions are in IDLE now (their process title says
        so: verbose_proctitle)."""
        count = 0
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            with contextlib.suppress(OSError):
                title = cmdline.read_bytes().replace(b"\0", b" ")
                if b"/imap [" in title and title.rstrip().endswith(b" IDLE]") and \
                        os.getpgid(int(cmdline.parent.name)) == self.process.pid:
                    count += 1
        return count

    def log_text(self) -> str:
        return "".join(p.read_text(errors="replace") for p in
                       (self.base / "dovecot.out", self.base / "dovecot.log") if p.exists())

    # -- a plain client for the tests ----------------------------------------------

    def client(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.certificate.ca_file))
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.tls_port, ssl_context=context, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def append(self, message: bytes, folder: str = "INBOX", flags: str = "") -> None:
        conn = self.client()
        try:
            if folder != "INBOX":
                conn.create(_quoted(folder))
            status, data = conn.append(_quoted(folder), flags or None, None, message)
            assert status == "OK", data
        finally:
            conn.logout()

    def messages(self, folder: str) -> list[tuple[bytes, bytes]]:
        """(flags, raw message) of every message in `folder` (read-only, nothing changed)."""
        conn = self.client()
        try:
            status, _ = conn.select(_quoted(folder), readonly=True)
            if status != "OK":
                return []
            _, data = conn.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[])")
            return [(item[0], item[1]) for item in data if isinstance(item, tuple)]
        finally:
            conn.logout()

    def message_ids(self, folder: str) -> list[str]:
        import email
        from email import policy
        return sorted(str(email.message_from_bytes(raw, policy=policy.default)["Message-ID"])
                      for _, raw in self.messages(folder))

    # -- configuration ----------------------------------------------------------------

    def _write_config(self) -> None:
        mail = self.base / "mail"
        mail.mkdir()
        uid, gid, internal, login = _mail_users(mail)
        (self.base / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (self.base / "dovecot.conf").write_text(_DOVECOT_CONF.format(
            base=self.base, port=self.port, tls_port=self.tls_port, mail=mail, uid=uid, gid=gid,
            internal=internal, login=login, cert_file=self.certificate.cert_file,
            key_file=self.certificate.key_file,
            caps=f"imap_capability = {self.capabilities}\n" if self.capabilities else ""))


def _mail_users(mail: Path) -> tuple[int, int, str, str]:
    """The uid and gid owning the mail, Dovecot's internal and login users: as root, nobody
    (Dovecot never gives mail access as root) and Dovecot's own users; else this user."""
    if os.getuid() == 0:
        os.chown(mail, 65534, 65534)
        return 65534, 65534, "dovecot", "dovenull"
    return os.getuid(), os.getgid(), _user_name(), _user_name()


_DOVECOT_CONF = """\
base_dir = {base}/run
state_dir = {base}/state
instance_name = rbot-test-{port}
listen = 127.0.0.1
protocols = imap
log_path = {base}/dovecot.log
ssl = yes
ssl_cert = <{cert_file}
ssl_key = <{key_file}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
mail_location = maildir:{mail}/%u
mail_max_userip_connections = 100
verbose_proctitle = yes  # the imap process title shows the command (IDLE)
auth_failure_delay = 0  # and no auth penalty (anvil-auth-penalty off)
first_valid_uid = 1
{caps}namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail}/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _user_name() -> str:
    import pwd
    return pwd.getpwuid(os.getuid()).pw_name
