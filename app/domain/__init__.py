"""Pure domain rules (identifiers, grades, enumerations) shared by models, services and forms.

Nothing here imports Flask or SQLAlchemy, so the rules can be reused by imports and scripts.
"""
