"""Logging: structlog, JSON lines to a file under var/ and one readable line per event on
the console. A last safety net masks anything that looks like an IBAN, VAT ID or amount and
drops keys that would carry invoice content (§ 35 SGB I)."""

from __future__ import annotations

import logging
import re
import sys
import traceback
from pathlib import Path

import structlog

_SENSITIVE_KEYS = {"fields", "iban", "seller_name", "name", "address", "amount", "total_gross",
                   "total_net", "total_tax", "amount_due", "seller_vat_id", "text", "sender"}
_PATTERNS = (
    re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"),  # IBAN
    re.compile(r"\b[A-Z]{2}\d{8,12}\b"),  # VAT ID
    re.compile(r"\b\d{1,3}(?:[.\s]\d{3})*,\d{2}\b|\b\d+\.\d{2}\b"),  # amounts
)


def mask_text(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub("***", text)
    return text


def redact(_logger, _method, event_dict: dict) -> dict:
    for key in list(event_dict):
        value = event_dict[key]
        if key in _SENSITIVE_KEYS:
            event_dict[key] = "***"
        elif isinstance(value, str) and key not in ("timestamp", "level", "logger"):
            event_dict[key] = mask_text(value)
    return event_dict


def where_raised(exc: BaseException) -> str:
    """The innermost frame of an exception as 'file:line in function' — no message, which
    could carry invoice content."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


def configure_logging(log_file: Path | None, *, console_level: int = logging.WARNING) -> None:
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.setLevel(logging.INFO)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(console_level)
    console.setFormatter(_formatter(structlog.dev.ConsoleRenderer(colors=False), shared))
    root.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setFormatter(_formatter(structlog.processors.JSONRenderer(ensure_ascii=False),
                                        shared))
        root.addHandler(to_file)
    for noisy in ("watchdog", "PIL", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for quoting_content in ("pypdf", "pdfminer"):  # their warnings may quote document bytes
        logging.getLogger(quoting_content).setLevel(logging.CRITICAL)


def _formatter(renderer, shared) -> structlog.stdlib.ProcessorFormatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
