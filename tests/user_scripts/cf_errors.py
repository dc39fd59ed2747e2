"""Task: tell a missing zone apart from other failures."""

from __future__ import annotations

import sys

from cloudflare_client import APIStatusError, Client, NotFoundError

client = Client(api_token="t", base_url=sys.argv[1], max_retries=0)
try:
    client.zones.get(zone_id="023e105f4ecef8ad9ca31a8372d0c353")
except NotFoundError as error:
    print("missing", error.status_code)
except APIStatusError as error:
    print("failed", error.status_code)
