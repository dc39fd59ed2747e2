"""Task: the same calls with the async client: list zones, then create a record in the first one."""

from __future__ import annotations

import asyncio
import sys

from cloudflare_client import AsyncClient


async def main() -> None:
    async with AsyncClient(api_token="t", base_url=sys.argv[1]) as client:
        zone_ids = [zone.id async for zone in await client.zones.list(per_page=2)]
        record = await client.dns_records.create(zone_id=zone_ids[0], type="TXT", name="example.com", content="v=1")
        print(len(zone_ids), record.name)


asyncio.run(main())
