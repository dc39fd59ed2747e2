"""clientgen: turn a large, messy OpenAPI description into one typed Python client package.

The pipeline is a list of steps (see ``project.build``):
ingest -> normalize -> build the intermediate model -> emit models (datamodel-code-generator)
-> render operations and runtime (Jinja) -> format -> write atomically.
"""

__all__: list[str] = []
