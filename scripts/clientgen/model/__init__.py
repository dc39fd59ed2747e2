"""The intermediate model: what the templates render, decided entirely in Python."""

from clientgen.model.api import Api, Body, Operation, Parameter, Resource
from clientgen.model.build import build_api
from clientgen.model.types import TypeExpr

__all__ = ["Api", "Body", "Operation", "Parameter", "Resource", "TypeExpr", "build_api"]
