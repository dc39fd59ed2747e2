"""The shared models split in two: the envelope's (every call may validate them) and the rest, behind a lazy index."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clientgen.generators.split import split_model_modules

SHARED = """from __future__ import annotations

from pydantic import BaseModel


class ResponseInfo(BaseModel):
    code: int
    detail: ResponseDetail | None = None


class ResponseDetail(BaseModel):
    text: str


class Tree(BaseModel):
    info: ResponseInfo | None = None
"""
CHECK = """
import sys
from pkg.types.shared import ResponseInfo
assert "pkg.types._shared.models" not in sys.modules, sorted(sys.modules)
from pkg.types.shared import Tree
print(Tree.model_validate({"info": {"code": 1, "detail": {"text": "t"}}}).info.detail.text)
"""


def test_a_module_importing_an_envelope_model_loads_only_the_envelope(tmp_path: Path) -> None:
    types = tmp_path / "pkg" / "types"
    types.mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (types / "__init__.py").write_text("", encoding="utf-8")
    (types / "shared.py").write_text(SHARED, encoding="utf-8")
    split_model_modules(types, "# header", "pkg", module="shared", envelope=["ResponseInfo"])
    envelope = (types / "_shared" / "envelope.py").read_text(encoding="utf-8")
    rest = (types / "_shared" / "models.py").read_text(encoding="utf-8")
    assert "class ResponseInfo(" in envelope
    assert "class ResponseDetail(" in envelope
    assert "class Tree(" in rest
    assert "from .envelope import ResponseInfo" in rest
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=False, env={"PYTHONPATH": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "t"
