"""template.yaml's security settings that no code path exercises: sign-in, the API's edge, the
public webhook's ceiling, how long report files and their access logs are kept."""

from __future__ import annotations

import json
import re
from typing import Any

from local import template


def _props(logical_id: str) -> dict[str, Any]:
    props: dict[str, Any] = template.load()["Resources"][logical_id]["Properties"]
    return props


# ---------------------------------------------------------------- sign-in


def test_the_user_pool_offers_totp_and_nothing_weaker() -> None:
    pool = _props("UserPool")
    assert pool["MfaConfiguration"] in ("OPTIONAL", "ON")
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]  # no SMS: no SIM swap, no SNS spend


def test_staff_tokens_pass_the_sign_in_trigger_which_may_only_read_accounts() -> None:
    """Every token Cognito issues goes through StaffSignInFunction (tests/unit/test_staff_sign_in.py),
    whose one Cognito call is AdminGetUser, and which only this pool may invoke."""
    pool = _props("UserPool")
    assert pool["LambdaConfig"]["PreTokenGeneration"] == {"Fn::GetAtt": ["StaffSignInFunction", "Arn"]}
    assert "PreTokenGenerationConfig" not in pool["LambdaConfig"]  # V1: the event of every feature plan
    # The code is asked at every sign-in of an account with TOTP: no remembered device skips it.
    assert "DeviceConfiguration" not in pool
    client = _props("UserPoolClient")
    assert set(client["ExplicitAuthFlows"]) <= {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert _cognito_actions("StaffSignInFunction") == {"cognito-idp:AdminGetUser"}
    [permission] = [
        p["Properties"]
        for p in template.resources("AWS::Lambda::Permission").values()
        if p["Properties"]["FunctionName"] == {"Fn::GetAtt": ["StaffSignInFunction", "Arn"]}
    ]
    assert permission["Principal"] == "cognito-idp.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["UserPool", "Arn"]}
    # Nothing of the function names the pool: the pool names the function (a cycle otherwise).
    trigger = template.load()["Resources"]["StaffSignInFunction"]
    assert "UserPool" not in json.dumps(trigger["Properties"])
    assert template.functions()["StaffSignInFunction"].environment["USER_POOL_ID"] == ""


def test_the_app_client_tells_no_one_who_has_an_account_and_cannot_rewrite_who_they_are() -> None:
    (client,) = template.resources("AWS::Cognito::UserPoolClient").values()
    props = client["Properties"]
    assert props["PreventUserExistenceErrors"] == "ENABLED"
    written = props["WriteAttributes"]
    assert written, "an empty list is every standard attribute to Cognito"
    assert "email" not in written and not any(a.startswith("custom:") for a in written)


def test_the_web_app_may_call_cognitos_own_api_for_the_authenticator_set_up() -> None:
    scopes = _props("UserPoolClient")["AllowedOAuthScopes"]
    assert "aws.cognito.signin.user.admin" in scopes  # AssociateSoftwareToken and co. take the access token
    policy = _props("WebSecurityHeaders")["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = policy["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    [connect] = [d for d in csp.split(";") if d.strip().startswith("connect-src")]
    assert "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}" in connect.split()


def test_a_refresh_token_lasts_at_most_twelve_hours() -> None:
    props = _props("UserPoolClient")
    hours = {"minutes": 1 / 60, "hours": 1, "days": 24}[props["TokenValidityUnits"]["RefreshToken"]]
    assert 0 < props["RefreshTokenValidity"] * hours <= 12


# ---------------------------------------------------------------- the API's edge


def test_browsers_may_call_the_api_from_the_web_front_end_only() -> None:
    cors = template.load()["Globals"]["HttpApi"]["CorsConfiguration"]
    assert cors["AllowOrigins"] == [{"Fn::Sub": "https://${WebDistribution.DomainName}"}]
    assert not cors.get("AllowCredentials")  # tokens go in the Authorization header, never cookies


def test_every_route_is_throttled_by_the_stacks_parameters() -> None:
    settings = _props("Api")["DefaultRouteSettings"]
    assert settings == {
        "ThrottlingRateLimit": {"Ref": "ApiRateLimit"},
        "ThrottlingBurstLimit": {"Ref": "ApiBurstLimit"},
    }
    defaults = template.parameter_defaults()
    assert 0 < int(defaults["ApiRateLimit"]) <= int(defaults["ApiBurstLimit"])


def test_the_api_logs_each_request_as_json_without_headers_paths_or_claims() -> None:
    logs = _props("Api")["AccessLogSettings"]
    group = logs["DestinationArn"]["Fn::GetAtt"][0]
    assert template.load()["Resources"][group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    line = json.loads(re.sub(r"\$context\.[A-Za-z.]+", "x", logs["Format"]))
    assert {"requestId", "ip", "routeKey", "status", "responseLatency", "integrationErrorMessage"} <= set(line)
    variables = set(re.findall(r"\$context\.[A-Za-z.]+", logs["Format"]))
    assert "$context.identity.sourceIp" in variables and "$context.routeKey" in variables
    # Nothing a request carries in its headers, its path or query (ids) or its token's claims.
    assert not any(v.startswith(("$context.authorizer.claims", "$context.path", "$context.jwt")) for v in variables)
    assert "$request" not in logs["Format"] and "authorization" not in logs["Format"].lower()


# ---------------------------------------------------------------- the public webhook


def test_the_function_behind_the_public_webhook_has_a_concurrency_ceiling() -> None:
    [route] = [r for r in template.routes() if r.route_key == "POST /webhooks/partners/{org_id}"]
    assert route.public
    props = _props(route.function)
    assert props["ReservedConcurrentExecutions"] == {"Ref": "WebhookConcurrency"}
    assert 0 < int(template.parameter_defaults()["WebhookConcurrency"]) <= 50


# ---------------------------------------------------------------- report files and their access logs


def _enabled_rules(bucket: str) -> list[dict[str, Any]]:
    rules = _props(bucket)["LifecycleConfiguration"]["Rules"]
    return [r for r in rules if r["Status"] == "Enabled" and not r.get("Prefix") and not r.get("TagFilters")]


def test_report_files_are_kept_for_the_offices_retention_and_old_versions_a_week() -> None:
    rules = _enabled_rules("ReportsBucket")
    assert {"Ref": "ReportRetentionDays"} in [r.get("ExpirationInDays") for r in rules]
    noncurrent = [
        r["NoncurrentVersionExpiration"]["NoncurrentDays"] for r in rules if "NoncurrentVersionExpiration" in r
    ]
    assert noncurrent and max(noncurrent) <= 7
    assert 0 < int(template.parameter_defaults()["ReportRetentionDays"]) <= 3 * 366


def test_the_reports_bucket_logs_its_access_to_a_private_bucket_of_its_own_that_expires_them() -> None:
    logging = _props("ReportsBucket")["LoggingConfiguration"]
    target = logging["DestinationBucketName"]["Ref"]
    assert target != "ReportsBucket" and template.resources("AWS::S3::Bucket")[target]
    props = _props(target)
    (encryption,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"  # log delivery cannot use KMS
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "LoggingConfiguration" not in props  # no logs of the logs
    assert {"Ref": "LogRetentionDays"} in [r.get("ExpirationInDays") for r in _enabled_rules(target)]
    # ACLs are off, so the log delivery service writes by the bucket policy: there, under the
    # prefix, for the reports bucket of this account only.
    [policy] = [
        p for p in template.resources("AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": target}
    ]
    [grant] = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"} and grant["Action"] == "s3:PutObject"
    assert grant["Resource"] == {"Fn::Sub": f"${{{target}.Arn}}/{logging['LogFilePrefix']}*"}
    assert grant["Condition"]["ArnLike"]["aws:SourceArn"] == {"Fn::GetAtt": ["ReportsBucket", "Arn"]}
    assert grant["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}


def _cognito_actions(function: str) -> set[str]:
    granted: set[str] = set()
    for policy in _props(function)["Policies"]:
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            actions = statement["Action"]
            granted |= {a for a in ([actions] if isinstance(actions, str) else actions) if a.startswith("cognito-idp:")}
    return granted


def test_each_function_may_make_exactly_the_cognito_calls_its_code_makes() -> None:
    """tremplin.data.identity_provider's calls, as IAM names: the stream consumer runs them all;
    the participants function only asks whether an address is taken (least privilege)."""
    source = (template.ROOT / "layers/shared/python/tremplin/data/identity_provider.py").read_text()
    called = {m.group(1) for m in re.finditer(r"_cognito\(\)\.(\w+)\(", source)}
    as_iam = {"cognito-idp:" + "".join(part.capitalize() for part in name.split("_")) for name in called}
    assert _cognito_actions("ChangesFunction") == as_iam
    assert _cognito_actions("ParticipantsFunction") == {"cognito-idp:AdminGetUser"}


# ---------------------------------------------------------------- webhook secrets' KMS key

WEBHOOK_KEY = {"Fn::GetAtt": ["WebhookSecretsKey", "Arn"]}


def _kms_grants() -> dict[str, list[dict[str, Any]]]:
    """Every IAM statement naming a KMS action, by function: in its Policies, or in a policy of
    the template attached to its role (SAM names it <function>Role)."""
    grants: dict[str, list[dict[str, Any]]] = {}

    def add(function: str, statements: list[dict[str, Any]]) -> None:
        for statement in statements:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if any(str(a).lower().startswith("kms:") or str(a) == "*" for a in actions):
                grants.setdefault(function, []).append(statement)

    functions = template.functions()
    for function in functions:
        for policy in _props(function).get("Policies", []):
            assert not (isinstance(policy, str) and "kms" in policy.lower()), (function, policy)  # managed
            assert not (isinstance(policy, dict) and any("KMS" in k for k in policy)), (function, policy)  # SAM's
            if isinstance(policy, dict):
                add(function, policy.get("Statement", []))
    for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role"):
        for name, res in template.resources(kind).items():
            roles = res["Properties"].get("Roles", [])
            attached = [
                r["Ref"].removesuffix("Role") for r in roles if r.get("Ref", "").removesuffix("Role") in functions
            ]
            assert len(attached) == len(roles), name  # a policy of the template is for a function's role
            for function in attached:
                add(function, res["Properties"]["PolicyDocument"]["Statement"])
    return grants


def test_only_the_webhook_functions_may_decrypt_webhook_secrets_and_only_rotation_encrypt() -> None:
    grants = _kms_grants()
    actions = {
        f: {a for s in ss for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
        for f, ss in grants.items()
    }
    decrypting = {f for f, a in actions.items() if "kms:Decrypt" in a}
    encrypting = {f for f, a in actions.items() if "kms:Encrypt" in a}
    # Inbound verification, the first attempt of a delivery, and the retry sweep (which runs in
    # the schedules function) sign or verify; the route that makes secrets encrypts them.
    [sweep] = {s.function for s in template.schedules() if s.payload.get("job") == "retry-deliveries"}
    assert decrypting == {"WebhooksFunction", "DeliveryWorkerFunction", sweep}
    [rotation] = [r.function for r in template.routes() if r.route_key.endswith("/webhook-secret")]
    assert encrypting == {rotation} == {"OrganisationsFunction"}
    assert all(a in ({"kms:Decrypt"}, {"kms:Encrypt"}) for a in actions.values()), actions  # no kms:*, nothing else
    for function, statements in grants.items():
        for statement in statements:
            assert statement["Effect"] == "Allow" and statement["Resource"] == WEBHOOK_KEY, function
            assert statement["Condition"] == {"StringEquals": {"kms:EncryptionContext:purpose": "webhook-secret"}}
    # The key's ARN goes to the functions that name the key; the sweep's Decrypt needs none.
    named = {
        f for f, fn in template.functions().items() if fn.environment.get("WEBHOOK_SECRETS_KEY_ARN") == WEBHOOK_KEY
    }
    assert named == {"OrganisationsFunction", "WebhooksFunction", "DeliveryWorkerFunction"}


def test_the_webhook_secrets_key_rotates_is_kept_and_trusts_only_its_account() -> None:
    [(name, key)] = template.resources("AWS::KMS::Key").items()
    assert name == "WebhookSecretsKey"
    assert key["DeletionPolicy"] == key["UpdateReplacePolicy"] == "Retain"  # ciphertexts outlive the stack
    props = key["Properties"]
    assert props["EnableKeyRotation"] is True
    assert props.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
    # AWS's default key policy: the account administers the key and IAM policies grant its use
    # (above); no other principal, no service, no other account, no "*".
    [statement] = props["KeyPolicy"]["Statement"]
    assert statement["Effect"] == "Allow" and statement["Resource"] == "*"
    assert statement["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
    [(_, alias)] = template.resources("AWS::KMS::Alias").items()
    assert alias["Properties"]["TargetKeyId"] == {"Ref": "WebhookSecretsKey"}
