"""Task: list every zone, page after page, with its name servers."""

from __future__ import annotations

import sys

from cloudflare_client import Client

client = Client(api_token="t", base_url=sys.argv[1])
for zone in client.zones.list(per_page=2):
    print(zone.name, ",".join(zone.name_servers))
