"""Rules of Regie's API that JSON Schema cannot state, taught to schemathesis's generator.

The OpenAPI document gives these rules in words (crates/web/src/api/contract.rs); everything
else it states as schema, and schemathesis checks that as it is. This file only keeps the
cases schemathesis generates as *valid* valid; it never touches a case generated as invalid,
so the server still has to refuse every one of those.

* a BSN passes the elfproef (11-check);
* a strength split (own / network / professional) adds up to 100;
* an intervention does not end before it starts;
* a closure names each discipline of its care hours now at most once;
* an Idempotency-Key is unique per request (a reused key is refused with 422, as the IETF
  Idempotency-Key draft asks), and schemathesis repeats small strings like "0" often;
* `If-Match` names the version the change is based on: a valid case sends the current `ETag`
  (any other is refused with 412, as RFC 9110 asks);
* a visit answers each activity the plan agrees on exactly once (a valid case answers the
  plan's agreements, with the levels drawn where there are any);
* an evaluation is held today or earlier (not before the trajectory started), decides on
  every active goal of the plan, names only people of the core team and the network, and
  moves support only for agreements of the plan (a valid case does so, keeping the scores
  drawn).

For the last two the hook reads the record first, with the same token (REGIE_BASE and
REGIE_TOKEN, set by .ci/schemathesis).
"""

import datetime
import os
import re
import uuid
from zoneinfo import ZoneInfo

import requests

import schemathesis
from schemathesis.generation import GenerationMode

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
BSN_DIGITS = re.compile(r"^(?:[ .\-]*[0-9]){8,9}[ .\-]*$")
IDEMPOTENCY_KEY = re.compile(r"^[ \t]*(?:[!-~](?:[ -~]{0,198}[!-~])?)?[ \t]*$")


def elfproef_bsn(text):
    """A BSN passing the elfproef, made from the digits schemathesis drew."""
    digits = [int(c) for c in text if c.isdigit()][-9:]
    digits = [0] * (9 - len(digits)) + digits
    for attempt in range(10):
        body = digits[:7] + [(digits[7] + attempt) % 10]
        total = sum(d * w for d, w in zip(body, range(9, 1, -1)))
        check = total % 11
        if check <= 9 and total - check > 0:
            return "".join(map(str, body + [check]))
    return "111222333"


def balanced(split):
    own = split[0]
    network = min(split[1], 100 - own)
    return [own, network, 100 - own - network]


def is_split(value):
    return (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100 for v in value)
    )


BASE = os.environ.get("REGIE_BASE", "")
TOKEN = os.environ.get("REGIE_TOKEN", "")
PLAN_CHANGE = re.compile(r"^/api/v1/trajectories/([^/]+)/(?:goals|goals/[^/]+/interventions|agreements)$")
TEAM_CHANGE = re.compile(r"^/api/v1/trajectories/([^/]+)/team$")
CLIENT_TEAMS = re.compile(r"^/api/v1/clients/([^/]+)/teams$")
VISITS = re.compile(r"^/api/v1/trajectories/([^/]+)/visits$")
EVALUATIONS = re.compile(r"^/api/v1/trajectories/([^/]+)/evaluations$")


def fetch(path):
    """The record at `path` as the token's user sees it, or None."""
    try:
        response = requests.get(BASE + path, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    except requests.RequestException:
        return None
    return response if response.status_code == 200 else None


def path_of(case):
    path = case.operation.path
    for name, value in (case.path_parameters or {}).items():
        path = path.replace("{" + name + "}", str(value))
    return path


def current_etag(case, path):
    """Sets `If-Match` to the current version of the record behind `path`."""
    found = fetch(path)
    if found is not None and "etag" in found.headers:
        case.headers = case.headers or {}
        for name in [n for n in case.headers if n.lower() == "if-match"]:
            del case.headers[name]
        case.headers["If-Match"] = found.headers["etag"]


def sends_if_match(case):
    return any(name.lower() == "if-match" for name in (case.headers or {}))


def blank(value):
    return not isinstance(value, str) or not value.strip()


def answer_agreements(case, trajectory):
    """Rewrites `given` to answer the plan's agreements once each, keeping something to
    record (support given, a note or a success) as the schema asks."""
    found = fetch(f"/api/v1/trajectories/{trajectory}/plan")
    if found is None or not isinstance(case.body, dict):
        return
    agreements = found.json().get("plan", {}).get("agreements", [])
    drawn = [g.get("level") for g in case.body.get("given") or [] if isinstance(g, dict)]
    given = []
    for i, agreement in enumerate(agreements):
        level = drawn[i] if i < len(drawn) and isinstance(drawn[i], int) else None
        given.append({"activity": agreement["activity"], "level": level})
    case.body["given"] = given
    recorded = any(isinstance(g["level"], int) for g in given)
    if not recorded and blank(case.body.get("note")) and blank(case.body.get("success")):
        case.body["success"] = "Zelf gedaan"


def answer_evaluation(case, trajectory):
    """Rewrites an evaluation to one the plan can take: held today (Dutch date), a decision
    for every active goal with the scores drawn, nobody outside the team, no agreement moved
    that the plan does not have."""
    found = fetch(f"/api/v1/trajectories/{trajectory}/plan")
    if found is None or not isinstance(case.body, dict):
        return
    plan = found.json().get("plan", {})
    drawn = [g for g in case.body.get("goals") or [] if isinstance(g, dict)]
    goals = []
    for i, goal in enumerate(g for g in plan.get("goals", []) if g.get("status") == "active"):
        entry = dict(drawn[i]) if i < len(drawn) else {}
        entry["goal_id"] = goal["id"]
        entry["decision"] = "continue"
        entry.pop("reason", None)
        if not goal.get("gas"):
            entry.pop("gas_attained", None)
        goals.append(entry)
    case.body["goals"] = goals
    case.body["held_on"] = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()
    case.body.pop("next_on", None)
    case.body["client_took_part"] = True
    case.body["network_member_ids"] = []
    case.body["professional_ids"] = []
    agreed = {a["activity"]: len(a.get("steps") or []) for a in plan.get("agreements", [])}
    moved = []
    for entry in case.body.get("agreements") or []:
        if isinstance(entry, dict) and entry.get("activity") in agreed:
            if isinstance(entry.get("step"), int) and entry["step"] > agreed[entry["activity"]]:
                entry.pop("step")
            moved.append(entry)
    case.body["agreements"] = moved


@schemathesis.hook
def map_case(context, case):
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return case
    method, path, body = case.method.upper(), case.operation.path, case.body
    if method == "POST" and path == "/api/v1/clients" and isinstance(body, dict):
        bsn = body.get("bsn")
        if isinstance(bsn, str) and BSN_DIGITS.match(bsn):
            body["bsn"] = elfproef_bsn(bsn)
    elif method == "POST" and path.endswith("/assessments") and isinstance(body, dict):
        for domain in body.get("domains") or []:
            if isinstance(domain, dict) and is_split(domain.get("split")):
                domain["split"] = balanced(domain["split"])
    elif method == "POST" and path.endswith("/interventions") and isinstance(body, dict):
        start, end = body.get("start"), body.get("end")
        if isinstance(start, str) and isinstance(end, str) and DATE.match(start) and DATE.match(end):
            if end < start:
                body["start"], body["end"] = end, start
    elif method == "POST" and path.endswith("/closure") and isinstance(body, dict):
        care = body.get("care_now")
        if isinstance(care, list):
            seen = set()
            kept = []
            for row in care:
                discipline = row.get("discipline") if isinstance(row, dict) else None
                if discipline in seen:
                    continue
                seen.add(discipline)
                kept.append(row)
            body["care_now"] = kept
    elif method == "POST" and path.endswith("/visits") and case.headers:
        for name in list(case.headers):
            value = case.headers[name]
            if name.lower() == "idempotency-key" and isinstance(value, str) and IDEMPOTENCY_KEY.match(value):
                case.headers[name] = str(uuid.uuid4())
    concrete = path_of(case)
    plan = PLAN_CHANGE.match(concrete)
    team = TEAM_CHANGE.match(concrete)
    teams = CLIENT_TEAMS.match(concrete)
    visits = VISITS.match(concrete)
    if plan and (method == "PUT" or sends_if_match(case)):
        current_etag(case, f"/api/v1/trajectories/{plan.group(1)}/plan")
    elif team and method == "POST" and sends_if_match(case):
        current_etag(case, concrete)
    elif teams and method == "PUT":
        current_etag(case, f"/api/v1/clients/{teams.group(1)}")
    if visits and method == "POST":
        answer_agreements(case, visits.group(1))
    evaluations = EVALUATIONS.match(concrete)
    if evaluations and method == "POST":
        answer_evaluation(case, evaluations.group(1))
    return case
