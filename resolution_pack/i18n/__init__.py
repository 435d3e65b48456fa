"""Translation workflow: extract strings to a POT, merge it into PO files,
check translated markup, and localise the course model per language."""
