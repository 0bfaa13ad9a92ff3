"""Demo data: people for every role, their cases and the national cases of 2010-2014 (`manage.py seed_demo`).

The room on top: it uses every app through their services and models, and no production code imports it.
"""
