"""Task: upload an ES-module Worker: the module file and its metadata."""

from __future__ import annotations

import sys

from cloudflare_client import Client
from cloudflare_client.types import ScriptUpdateParamsAnyPartNameMetadata

client = Client(api_token="t", base_url=sys.argv[1])
source = b"export default { fetch() { return new Response('hi') } }"
script = client.workers.scripts.update(
    account_id="023e105f4ecef8ad9ca31a8372d0c353",
    script_name="hello",
    parts={"worker.js": ("worker.js", source, "application/javascript+module")},
    metadata=ScriptUpdateParamsAnyPartNameMetadata(main_module="worker.js", compatibility_date="2024-08-01"),
)
print(script.id)
