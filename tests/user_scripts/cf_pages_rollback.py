"""Task: roll a Pages project back to an earlier deployment."""

from __future__ import annotations

import sys

from cloudflare_client import Client

client = Client(api_token="t", base_url=sys.argv[1])
deployment = client.pages.projects.deployments.rollback(
    account_id="023e105f4ecef8ad9ca31a8372d0c353", project_name="site", deployment_id="dep-1"
)
print(deployment.id)
