"""Rules of Regie's API that JSON Schema cannot state, taught to schemathesis's generator.

The OpenAPI document gives these rules in words (crates/web/src/api/contract.rs); everything
else it states as schema, and schemathesis checks that as it is. This file only keeps the
cases schemathesis generates as *valid* valid; it never touches a case generated as invalid,
so the server still has to refuse every one of those.

* a BSN passes the elfproef (11-check);
* a strength split (own / network / professional) adds up to 100;
* an intervention does not end before it starts;
* an Idempotency-Key is unique per request (a reused key is refused with 422, as the IETF
  Idempotency-Key draft asks), and schemathesis repeats small strings like "0" often.
"""

import re
import uuid

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
    elif method == "POST" and path.endswith("/visits") and case.headers:
        for name in list(case.headers):
            value = case.headers[name]
            if name.lower() == "idempotency-key" and isinstance(value, str) and IDEMPOTENCY_KEY.match(value):
                case.headers[name] = str(uuid.uuid4())
    return case
