"""Learning from clerks' corrections: per provider, where its invoices print the fields the
bot read wrong (bots.learning.teach), read again from there on its next invoices
(bots.learning.apply); routing rules proposed from repeated manual assignments."""
