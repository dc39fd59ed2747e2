"""The seed operation's call and answer, shared by the call benchmark's server and workers (no dependencies)."""

from __future__ import annotations

import json

__all__ = ["ACCOUNT", "BODY", "DEPLOYMENT", "PATH", "PROJECT", "RESPONSE_HEADERS"]

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
PROJECT = "this-is-my-project-01"
DEPLOYMENT = "023e105f4ecef8ad9ca31a8372d0c353"
PATH = f"/accounts/{ACCOUNT}/pages/projects/{PROJECT}/deployments/{DEPLOYMENT}/rollback"

_STAGES = [
    {
        "ended_on": "2021-06-03T15:39:03.134378Z",
        "name": "queued",
        "started_on": "2021-06-03T15:38:15.608194Z",
        "status": "active",
    },
    {"ended_on": None, "name": "initialize", "started_on": None, "status": "idle"},
    {"ended_on": None, "name": "clone_repo", "started_on": None, "status": "idle"},
    {"ended_on": None, "name": "build", "started_on": None, "status": "idle"},
    {"ended_on": None, "name": "deploy", "started_on": None, "status": "idle"},
]
_DEPLOYMENT = {
    "id": "f64788e9-fccd-4d4a-a28a-cb84f88f6",
    "short_id": "f64788e9",
    "project_id": "7b162ea7-7367-4d67-bcde-1160995d5",
    "project_name": "ninjakittens",
    "environment": "preview",
    "url": "https://f64788e9.ninjakittens.pages.dev",
    "created_on": "2021-03-09T00:55:03.923456Z",
    "modified_on": "2021-03-09T00:58:59.045655",
    "aliases": ["https://branchname.projectname.pages.dev"],
    "latest_stage": _STAGES[0],
    "stages": _STAGES,
    "deployment_trigger": {
        "type": "ad_hoc",
        "metadata": {
            "branch": "main",
            "commit_hash": "ad9ccd918a81025731e10e40267e11273a263421",
            "commit_message": "Update index.html",
        },
    },
    "env_vars": {"BUILD_VERSION": {"value": "3.3"}, "ENV": {"value": "STAGING"}},
    "is_skipped": True,
}
BODY = json.dumps({"success": True, "errors": [], "messages": [], "result": _DEPLOYMENT}).encode()
RESPONSE_HEADERS = {"Content-Type": "application/json", "cf-ray": "8c1f2d3e4a5b6c7d-AMS"}
