"""What a benchmark's fresh interpreter needs to look like a function's Lambda sandbox: the
environment template.yaml gives the function (resolved to harmless, AWS-shaped values) and the
code where Lambda puts it (the function's code directory and the shared layer on sys.path).
"""

from __future__ import annotations

from typing import Any

from bench.harness import LAYER_PATH, ROOT
from local import template
from local.resources import ACCOUNT, REGION

PYTHON = str(ROOT / ".venv" / "bin" / "python")


def _placeholder(logical_id: str) -> str:
    """What !Ref gives for a resource, in the shape AWS gives it (nothing is called at import)."""
    kind = template.load()["Resources"].get(logical_id, {}).get("Type", "")
    if kind == "AWS::SQS::Queue":
        return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/bench-{logical_id}"
    if kind == "AWS::SecretsManager::Secret":
        return ""  # empty: the settings use their local key instead of asking Secrets Manager
    if kind == "AWS::Cognito::UserPool":
        return f"{REGION}_bench"
    return f"bench-{logical_id}".lower()


def _resolve(value: Any, params: dict[str, str]) -> str:
    if isinstance(value, dict) and "Ref" in value:
        name = str(value["Ref"])
        return params[name] if name in params else _placeholder(name)
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return f"arn:aws:bench:{REGION}:{ACCOUNT}:{'.'.join(value['Fn::GetAtt'])}"
    return str(value)


def function_environment(logical_id: str) -> dict[str, str]:
    """The variables template.yaml gives `logical_id`, plus what Lambda itself sets that boto3 reads."""
    params = template.parameter_defaults()
    fn = template.functions()[logical_id]
    env = {k: _resolve(v, params) for k, v in fn.environment.items()}
    return env | {
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_SESSION_TOKEN": "bench",
    }


def code_path(logical_id: str) -> list[str]:
    """sys.path entries Lambda gives the function: its code (/var/task) and the layer (/opt/python)."""
    fn = template.functions()[logical_id]
    return [str(fn.module_path.parent), LAYER_PATH]


def module_name(logical_id: str) -> str:
    """The handler's module ("app" for "app.lambda_handler")."""
    return template.functions()[logical_id].handler.rsplit(".", 1)[0]


def memory_sizes() -> dict[str, int]:
    """MemorySize per function: its own, else the Globals' (Lambda's default 128 without either)."""
    doc = template.load()
    default = int(doc.get("Globals", {}).get("Function", {}).get("MemorySize", 128))
    return {
        name: int(res["Properties"].get("MemorySize", default))
        for name, res in template.resources("AWS::Serverless::Function").items()
    }
