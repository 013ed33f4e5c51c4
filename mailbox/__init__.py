"""Mail access for the mailbox bot: IMAP and Exchange accounts, .eml parsing, attachment safety.

This is the project's package, not the standard library's `mailbox` (which the project never
uses). It never imports bots/, ocr/ or rules/.
"""
