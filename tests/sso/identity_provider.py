"""A minimal OpenID Connect identity provider for tests: discovery, authorization code flow with
an RS256-signed ID token, JWKS and userinfo. It signs in whoever the test names in
`provider.next_claims`, as a Keycloak realm would after its login page."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "kinerja"
CLIENT_SECRET = "rahasia-klien-oidc"


class StubProvider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048)
        self.key_id = "kunci-uji"
        self.issuer = ""
        self.next_claims: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.app = self._build()

    def _build(self) -> Flask:
        app = Flask("stub-idp")

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                userinfo_endpoint=f"{self.issuer}/userinfo",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
            )

        @app.get("/authorize")
        def authorize() -> Any:
            assert request.args["client_id"] == CLIENT_ID
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "claims": dict(self.next_claims),
                "nonce": request.args.get("nonce"),
            }
            query = urlencode({"code": code, "state": request.args["state"]})
            return redirect(f"{request.args['redirect_uri']}?{query}")

        @app.post("/token")
        def token() -> Any:
            client = request.authorization
            if client:
                given = (client.username, client.password)
            else:
                given = (request.form.get("client_id"), request.form.get("client_secret"))
            if given != (CLIENT_ID, CLIENT_SECRET):
                return jsonify(error="invalid_client"), 401
            grant = self.codes.pop(request.form["code"], None)
            if grant is None:
                return jsonify(error="invalid_grant"), 400
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                **grant["claims"],
            }
            header = {"alg": "RS256", "kid": self.key_id}
            id_token = jwt.encode(header, claims, self.key)
            access = secrets.token_urlsafe(16)
            self.codes[f"access:{access}"] = grant
            return jsonify(
                access_token=access, token_type="Bearer", expires_in=300, id_token=id_token
            )

        @app.get("/jwks")
        def jwks() -> Any:
            public = self.key.as_dict(private=False)
            return jsonify(keys=[{**public, "kid": self.key_id, "use": "sig", "alg": "RS256"}])

        @app.get("/userinfo")
        def userinfo() -> Any:
            access = request.headers.get("Authorization", "").removeprefix("Bearer ")
            grant = self.codes.get(f"access:{access}")
            return (jsonify(grant["claims"]), 200) if grant else (jsonify(error="invalid"), 401)

        return app


@contextmanager
def running_provider() -> Iterator[StubProvider]:
    provider = StubProvider()
    server = make_server("127.0.0.1", 0, provider.app, threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(timeout=5)
