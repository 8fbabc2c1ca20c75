"""The policy officers' work: ruleset versions, the forms and condition builder that write YAML,
simulation.
"""
