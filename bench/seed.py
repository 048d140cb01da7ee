#!/usr/bin/env python3
"""Seeds a running Certus server over its API for bench/run.sh (standard library only).

    bench/seed.py orgs BASE N NAME OUT         organizations, each with an admin API token
    bench/seed.py soa BASE ORG CONTROLS        custom controls and decisions up to CONTROLS rows
    bench/seed.py oscal-copies FILE N DIR      N copies of an OSCAL catalog with distinct uuids

`orgs` signs in as BENCH_ADMIN_EMAIL with the password in the file BENCH_PASSWORD_FILE,
creates N organizations named "NAME 1" … "NAME N", adds BENCH_MEMBER_EMAIL (an existing
user) to each as a contributor, issues an admin API token per organization and writes one
line per organization to OUT (created with mode 0600): `org_id token member_user_id`.
`soa` authenticates with the token in BENCH_TOKEN and makes BENCH_OWNER_ID (a member's
user id, optional) the owner of the applicable rows. Secrets are read from the environment or
files and never printed. Any unexpected answer stops the script with exit status 1.
"""
import http.client
import json
import os
import sys
import urllib.parse
import uuid


class Api:
    """One keep-alive HTTP/1.1 connection; every call checks the status it expects."""

    def __init__(self, base: str):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        self.headers: dict[str, str] = {}

    def call(self, method: str, path: str, body=None, expect=(200,), headers=None):
        data = None
        sent = dict(self.headers)
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=sent)
                response = self.conn.getresponse()
                raw = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt:
                    raise
        if response.status not in expect:
            sys.exit(f"seed: {method} {path} answered {response.status}: {raw[:300]!r}")
        return response, (json.loads(raw) if raw and raw[:1] in (b"{", b"[") else None)


def orgs(base: str, count: int, name: str, out: str) -> None:
    email = os.environ["BENCH_ADMIN_EMAIL"]
    member = os.environ["BENCH_MEMBER_EMAIL"]
    with open(os.environ["BENCH_PASSWORD_FILE"], encoding="utf-8") as f:
        password = f.read().strip()
    api = Api(base)
    response, me = api.call("POST", "/api/v1/auth/login", {"email": email, "password": password})
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    if not cookie or not me or not me.get("csrf_token"):
        sys.exit("seed: the login answered without a session cookie or CSRF token")
    api.headers = {"Cookie": cookie, "X-CSRF-Token": me["csrf_token"]}
    lines = []
    for i in range(1, count + 1):
        _, org = api.call("POST", "/api/v1/orgs", {"name": f"{name} {i}"}, expect=(201,))
        org_id = org.get("id") or org.get("org_id")
        _, added = api.call("POST", f"/api/v1/orgs/{org_id}/members",
                            {"email": member, "role": "contributor"}, expect=(201,))
        _, token = api.call("POST", "/api/v1/api-tokens",
                            {"name": f"bench {i}", "org_id": org_id, "role": "admin"},
                            expect=(201,))
        lines.append(f"{org_id} {token['token']} {added['user_id']}\n")
    api.call("POST", "/api/v1/auth/logout", expect=(204,))
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.writelines(lines)


REASONS = ["legal_regulatory", "contractual", "business", "best_practice"]
STATUSES = ["implemented", "partially_implemented", "planned", "not_started"]
TOPICS = ["board security briefing", "supplier review", "key rotation", "clean desk audit"]


def decision(i: int, ref: str, owner: str = "") -> dict:
    """The SoA fields of row i: most applicable (owned by `owner` when given), every seventh
    excluded, every eleventh undecided."""
    if i % 11 == 10:
        return {}
    if i % 7 == 0:
        return {"applicable": False,
                "justification": f"{ref} is excluded: the activity it governs is not performed "
                                 "in scope (no on-premises data centre, no software "
                                 "development by the organization); reviewed at the annual "
                                 "management review."}
    fields = {"applicable": True,
              "justification": f"{ref} treats risks R-{i} and R-{i + 1} of the risk register "
                               "and is required by contractual obligations towards "
                               "customers, \"quoted\", with commas.",
              "inclusion_reasons": [REASONS[i % 4], REASONS[(i + 1) % 4]],
              "implementation_status": STATUSES[i % 4],
              "implementation": f"Procedure P-{i} describes how {ref} operates; its evidence "
                                "is reviewed quarterly by the control owner."}
    if owner:
        fields["owner_id"] = owner
    return fields


def soa(base: str, org: str, target: int) -> None:
    api = Api(base)
    api.headers = {"Authorization": "Bearer " + os.environ["BENCH_TOKEN"]}
    owner = os.environ.get("BENCH_OWNER_ID", "")
    controls = f"/api/v1/orgs/{org}/controls"
    rows, cursor = [], None
    while True:
        _, page = api.call("GET", controls + "?limit=500" +
                           (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
        rows += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    # The catalog rows (93 of ISO 27001 Annex A) get decisions through PATCH.
    for i, row in enumerate(rows):
        fields = decision(i, row["ref_id"], owner)
        if fields and row.get("applicable") is None:
            api.call("PATCH", f"{controls}/{row['id']}", fields,
                     headers={"If-Match": f"\"{row['version']}\""})
    existing = {row["ref_id"] for row in rows}
    created = 0
    for i in range(len(rows), target):
        ref = f"C-{i:04d}"
        if ref in existing:
            continue
        body = {"ref_id": ref, "title": f"Custom control {i}: {TOPICS[i % len(TOPICS)]}"}
        body.update(decision(i, ref, owner))
        api.call("POST", controls, body, expect=(201,))
        created += 1
    total = len(rows) + created
    if total != target:
        sys.exit(f"seed: the SoA has {total} rows, expected {target}")
    print(f"rows={total} catalog={len(rows)} created={created}")


def oscal_copies(path: str, count: int, out_dir: str) -> None:
    """Copy 1 is the file itself; copies 2… differ only in the catalog's uuid (a catalog that
    was imported before is refused with 409, so a repeated import needs another uuid)."""
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    catalog = json.loads(raw)
    old = catalog["catalog"]["uuid"]
    for i in range(1, count + 1):
        text = raw if i == 1 else raw.replace(old, str(uuid.uuid4()), 1)
        with open(os.path.join(out_dir, f"catalog-{i}.json"), "w", encoding="utf-8") as f:
            f.write(text)


def main() -> int:
    if len(sys.argv) >= 2 and sys.argv[1] == "orgs" and len(sys.argv) == 6:
        orgs(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif len(sys.argv) >= 2 and sys.argv[1] == "soa" and len(sys.argv) == 5:
        soa(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) >= 2 and sys.argv[1] == "oscal-copies" and len(sys.argv) == 5:
        oscal_copies(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
