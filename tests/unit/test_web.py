"""The web front end's files: served by the local stack as CloudFront would, published to S3
with the cloud's config, and every message it shows translated into all three languages."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import boto3
import pytest

from local import web
from tests.helpers import ROOT, web_catalogue
from tools import publish_web

ASSETS = ROOT / "web" / "assets"


def _catalogues() -> dict[str, set[str]]:
    return {lang: set(web_catalogue(lang)) for lang in ("en", "de", "fr")}


def test_the_three_languages_have_the_same_messages() -> None:
    keys = _catalogues()
    assert keys["en"], "no English messages"
    assert keys["de"] ^ keys["en"] == set()
    assert keys["fr"] ^ keys["en"] == set()


def test_every_message_the_code_names_exists() -> None:
    english = _catalogues()["en"]
    source = "\n".join(p.read_text() for p in ASSETS.rglob("*.js") if "i18n" not in p.parts)
    named = set(re.findall(r"""\b(?:t|field|checkbox|empty|barChart)\(\s*"([a-z][a-z0-9_]*)\"""", source))
    named |= set(re.findall(r'"([a-z][a-z0-9_]*_ok)"', source))  # what act() says on success
    assert named, "the pattern found nothing"
    assert named - english == set()


# The browser globals the modules read, for running them in node: a signed-out user of the app at
# http://localhost:3000/ looking at a participant's messages.
_BROWSER = """
  globalThis.location = new URL("http://localhost:3000/#/notifications");
  globalThis.sessionStorage = { getItem: () => null, setItem() {}, removeItem() {} };
  globalThis.localStorage = { getItem: () => null, setItem() {} };
  globalThis.document = { documentElement: { dataset: {} }, querySelectorAll: () => [] };
  const ui = await import("./web/assets/ui.js");
  const api = await import("./web/assets/api.js");
  const i18n = await import("./web/assets/i18n.js");
  const notes = await import("./web/assets/views/notifications.js");
"""


def _run(script: str) -> Any:
    done = subprocess.run(  # noqa: S603 - a fixed script
        ["node", "--input-type=module", "-e", _BROWSER + script],  # noqa: S607 - node is a prerequisite
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_a_notification_links_to_the_readers_own_screen_within_the_app() -> None:
    links = [
        "/#/applications",  # the local stack's links are relative
        "http://localhost:3000/#/pay",  # an absolute link to the app's own origin
        "/#/jobs/job_1",
        "/#/shifts/shf_1",  # an employer's screen: the router would turn a participant away
        "/#/notifications",  # the screen showing
        "https://tremplin.example/#/pay",  # another site's address stays as it is
        "http://tremplin.example/#/pay",
        "javascript:alert(1)",
        "",
        None,
    ]
    hrefs = _run(f"""
      ui.setScreens([["/jobs"], ["/jobs/:job_id"], ["/applications"], ["/pay"], ["/notifications"]]);
      console.log(JSON.stringify({json.dumps(links)}.map(notes.noteHref)));
    """)
    assert hrefs == [
        "#/applications",
        "#/pay",
        "#/jobs/job_1",
        None,
        None,
        "https://tremplin.example/#/pay",
        None,
        None,
        None,
        None,
    ]


def test_errors_of_unknown_outcome_say_to_reload_and_see_whether_the_change_was_saved() -> None:
    said = _run("""
      const out = {};
      for (const lang of ["de", "fr", "en"]) {
        await i18n.setLanguage(lang);
        const say = (status, code, change) => api.describeError(new api.ApiError(status, code, "", [], change)).text;
        out[lang] = {
          busy_change: say(503, "service_unavailable", true), busy_read: say(503, "service_unavailable", false),
          failed_change: say(500, "internal_error", true), failed_read: say(500, "internal_error", false),
          lost_change: say(0, "network", true), lost_read: say(0, "network", false),
          in_use: say(409, "idempotency_key_in_use", true), reused: say(409, "idempotency_key_reused", true),
          not_allowed: say(405, "method_not_allowed", true), conflict: say(409, "some_new_rule", true),
        };
      }
      console.log(JSON.stringify(out));
    """)
    reload_word = {"en": "reload", "de": "neu", "fr": "recharge"}
    saved_word = {"en": "saved", "de": "gespeichert", "fr": "enregistrée"}
    nothing_changed = {"en": "nothing was changed", "de": "nichts geändert", "fr": "rien n'a été modifié"}
    for lang, texts in said.items():
        for key in ("busy_change", "failed_change", "lost_change", "in_use"):
            assert reload_word[lang] in texts[key].lower() and saved_word[lang] in texts[key], (lang, key)
        for key in ("busy_read", "failed_read", "lost_read"):
            assert saved_word[lang] not in texts[key], (lang, key)  # a screen that did not load changed nothing
        assert not any(nothing_changed[lang] in text.lower() for text in texts.values()), lang
        # Each new code has a sentence of its own, not the 4xx catch-all.
        assert len({texts["in_use"], texts["reused"], texts["not_allowed"], texts["conflict"]}) == 4, lang


def _jwt(claims: dict[str, Any]) -> str:
    """An (unsigned) token as the browser decodes it: the app never checks signatures, the API does."""
    import base64

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


def test_a_staff_token_marked_by_the_sign_in_trigger_leads_to_the_authenticator_set_up_only() -> None:
    base = {"sub": "cw-1", "email": "beraterin@bern.ch", "token_use": "id", "exp": 4102444800}
    tokens = {
        "staff": _jwt(base | {"cognito:groups": ["caseworker"]}),
        "setup": _jwt(base | {"cognito:groups": [], "tremplin:mfa_setup_required": "true"}),
        "unchecked": _jwt(base | {"cognito:groups": [], "tremplin:mfa_check_failed": "true"}),
        # Whatever groups the token still names, the mark wins.
        "marked_staff": _jwt(base | {"cognito:groups": ["caseworker"], "tremplin:mfa_setup_required": "true"}),
    }
    seen = _run(f"""
      const auth = await import("./web/assets/auth.js");
      const tokens = {json.dumps(tokens)};
      const out = {{}};
      for (const [name, value] of Object.entries(tokens)) {{
        globalThis.sessionStorage.getItem = (key) => (key === "tremplin.token" ? value : null);
        out[name] = {{ role: auth.caller()?.role ?? null, pending: auth.secondFactorPending() }};
      }}
      console.log(JSON.stringify(out));
    """)
    assert seen == {
        "staff": {"role": "caseworker", "pending": None},
        "setup": {"role": None, "pending": "setup"},
        "unchecked": {"role": None, "pending": "unchecked"},
        "marked_staff": {"role": None, "pending": "setup"},
    }


def test_the_authenticator_set_up_calls_cognito_with_the_access_token_and_shows_the_key() -> None:
    said = _run("""
      const auth = await import("./web/assets/auth.js");
      const screen = await import("./web/assets/views/authenticator.js");
      auth.configure({ auth: "cognito", cognito: { region: "eu-central-2", domain: "https://x", client_id: "c" } });
      globalThis.sessionStorage.getItem = (key) => (key === "tremplin.access" ? "ACCESS" : null);
      const sent = [];
      globalThis.fetch = async (url, request) => {
        sent.push({ url, request });
        const wrong = request.headers["x-amz-target"].endsWith("VerifySoftwareToken");
        const body = wrong ? { __type: "CodeMismatchException", message: "no" } : { SecretCode: "JBSWY3DPEHPK3PXPQ" };
        return new Response(JSON.stringify(body), { status: wrong ? 400 : 200 });
      };
      const associated = await auth.cognito("AssociateSoftwareToken");
      const refused = await auth.cognito("VerifySoftwareToken", { UserCode: "123456" }).catch((err) => err.code);
      console.log(JSON.stringify({
        associated, refused,
        sent: sent.map((s) => ({ url: s.url, headers: s.request.headers, body: JSON.parse(s.request.body) })),
        grouped: screen.grouped("JBSWY3DPEHPK3PXPQ"),
        link: screen.otpauthLink("JBSWY3DPEHPK3PXPQ", "beraterin@bern.ch"),
      }));
    """)
    assert said["associated"] == {"SecretCode": "JBSWY3DPEHPK3PXPQ"}
    assert said["refused"] == "CodeMismatchException"
    first, second = said["sent"]
    assert first["url"] == "https://cognito-idp.eu-central-2.amazonaws.com/"
    assert first["headers"] == {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.AssociateSoftwareToken",
    }
    assert first["body"] == {"AccessToken": "ACCESS"}
    assert second["body"] == {"AccessToken": "ACCESS", "UserCode": "123456"}
    assert said["grouped"] == "JBSW Y3DP EHPK 3PXP Q"
    assert said["link"] == "otpauth://totp/Tremplin:beraterin%40bern.ch?secret=JBSWY3DPEHPK3PXPQ&issuer=Tremplin"


def test_the_local_stack_serves_the_app_with_its_security_headers() -> None:
    status, headers, body = web.serve("/")
    assert status == 200 and b'<main id="view"' in body
    assert headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    status, headers, _ = web.serve("/assets/app.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    config = json.loads(web.serve("/config.json")[2])
    assert config == {"auth": "local", "api_base": "", "consent_version": "2026-01"}


@pytest.mark.parametrize("path", ["/assets/../../template.yaml", "/assets/%2e%2e/Makefile", "/assets/nope.js"])
def test_nothing_outside_web_is_served(path: str) -> None:
    assert web.serve(path)[0] == 404


def test_only_get_requests_for_the_app_are_taken_from_the_api() -> None:
    assert web.serves("GET", "/") and web.serves("GET", "/assets/styles.css")
    assert not web.serves("POST", "/") and not web.serves("GET", "/jobs")


OUTPUTS = {
    "ApiUrl": "https://abc123.execute-api.eu-central-2.amazonaws.com/",
    "SignInUrl": "https://tremplin-prod-1234.auth.eu-central-2.amazoncognito.com",
    "UserPoolClientId": "client123",
    "ConsentVersions": "2025-06,2026-01",
    "WebBucketName": "tremplin-web",
}


def test_the_cloud_config_names_the_api_and_cognitos_sign_in() -> None:
    assert publish_web.config_from_outputs(OUTPUTS) == {
        "auth": "cognito",
        "api_base": "https://abc123.execute-api.eu-central-2.amazonaws.com",
        "cognito": {
            "domain": "https://tremplin-prod-1234.auth.eu-central-2.amazoncognito.com",
            "client_id": "client123",
            "region": "eu-central-2",  # of Cognito's own API, for the authenticator set-up
        },
        "consent_version": "2026-01",
    }


def test_publishing_uploads_every_file_with_its_type_and_the_config(aws: dict[str, Any]) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="tremplin-web")
    publish_web.upload(s3, "tremplin-web", publish_web.site_files(publish_web.config_from_outputs(OUTPUTS)))
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="tremplin-web")["Contents"]}
    expected = {p.relative_to(ROOT / "web").as_posix() for p in (ROOT / "web").rglob("*") if p.is_file()}
    assert keys == expected | {"config.json"}
    index = s3.get_object(Bucket="tremplin-web", Key="index.html")
    assert index["ContentType"].startswith("text/html") and index["CacheControl"] == "no-cache"
    script = s3.get_object(Bucket="tremplin-web", Key="assets/app.js")
    assert script["ContentType"].startswith("text/javascript")
    config = json.loads(s3.get_object(Bucket="tremplin-web", Key="config.json")["Body"].read())
    assert config["auth"] == "cognito" and config["cognito"]["client_id"] == "client123"


def test_the_service_worker_keeps_every_script_the_app_loads_at_start() -> None:
    """Offline (issue 20): the app shell the service worker stores at install holds every view,
    the base scripts and the language list; a view missing from it would not load offline."""
    source = (ROOT / "web" / "sw.js").read_text()
    listed = set(re.findall(r'"(assets/[\w/.-]+\.js)"', source))
    [views] = re.findall(r"\.\.\.\[(.*?)\]\.map", source, flags=re.S)
    listed |= {f"assets/views/{name}.js" for name in re.findall(r'"(\w+)"', views)}
    assets = ROOT / "web" / "assets"
    wanted = {f"assets/{p.relative_to(assets).as_posix()}" for p in [*assets.glob("*.js"), *assets.glob("views/*.js")]}
    wanted |= {"assets/i18n/en.js", "assets/i18n/languages.js"}
    assert wanted - listed == set()
