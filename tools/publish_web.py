"""Publish the web front end to a deployed stack: web/ plus a config.json naming the stack's
API and Cognito's hosted sign-in, into the stack's WebBucket, then refresh CloudFront.

    .venv/bin/python tools/publish_web.py --stack tremplin-dev [--region eu-central-2]

(`make publish-web STACK=tremplin-dev` after `sam deploy`.)"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from local.web import WEB_ROOT, content_type  # noqa: E402 - after the path above

# index.html and config.json change with every release; the rest may be cached a little.
NO_CACHE = {"index.html", "config.json", "sw.js"}  # sw.js: the offline service worker (issue 20)


def config_from_outputs(outputs: dict[str, str]) -> dict[str, Any]:
    """The cloud's config.json (the local stack serves its own: local/web.py)."""
    versions = [v.strip() for v in outputs.get("ConsentVersions", "").split(",") if v.strip()]
    sign_in = outputs["SignInUrl"].rstrip("/")
    # The region of Cognito's own API (the authenticator app's set-up): the hosted sign-in's.
    region = re.search(r"\.auth\.([a-z0-9-]+)\.amazoncognito\.com", sign_in)
    return {
        "auth": "cognito",
        "api_base": outputs["ApiUrl"].rstrip("/"),
        "cognito": {
            "domain": sign_in,
            "client_id": outputs["UserPoolClientId"],
            "region": region.group(1) if region else "",
        },
        "consent_version": versions[-1] if versions else "",
    }


def site_files(config: dict[str, Any]) -> dict[str, tuple[bytes, str]]:
    """Key -> (body, content type) for every file the bucket should hold."""
    files = {
        path.relative_to(WEB_ROOT).as_posix(): (
            path.read_bytes(),
            content_type(path),
        )
        for path in sorted(WEB_ROOT.rglob("*"))
        if path.is_file()
    }
    files["config.json"] = (json.dumps(config, indent=2).encode(), "application/json")
    return files


def upload(s3: Any, bucket: str, files: dict[str, tuple[bytes, str]]) -> None:
    for key, (body, kind) in files.items():
        cache = "no-cache" if key in NO_CACHE else "public, max-age=300"
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=kind, CacheControl=cache)


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region")
    args = parser.parse_args()
    session = boto3.Session(region_name=args.region)
    outputs = stack_outputs(session.client("cloudformation"), args.stack)
    upload(session.client("s3"), outputs["WebBucketName"], site_files(config_from_outputs(outputs)))
    session.client("cloudfront").create_invalidation(
        DistributionId=outputs["WebDistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time())},
    )
    print(f"Published: {outputs['WebUrl']}")


if __name__ == "__main__":
    main()
