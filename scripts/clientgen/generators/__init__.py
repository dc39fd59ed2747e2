"""Emitters: datamodel-code-generator for models; the Jinja layer lives in project.py and templates/."""
