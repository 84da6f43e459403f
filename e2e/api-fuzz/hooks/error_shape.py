"""Schemathesis checks of the platform's own rules for HTTP errors (loaded with SCHEMATHESIS_HOOKS)."""

import schemathesis

ERROR_KEYS = {"statusCode", "error", "message", "code", "problems"}


@schemathesis.check
def error_shape(ctx, response, case):
    """Every 4xx is `{ statusCode, error, message, code?, problems? }` as JSON; a 400 names the field it refuses."""
    status = response.status_code
    if not 400 <= status < 500:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.startswith("application/json"):
        raise AssertionError(f"a {status} answered with {content_type or 'no content type'}, not JSON")
    try:
        body = response.json()
    except Exception as error:  # the body is not JSON at all
        raise AssertionError(f"a {status} body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise AssertionError(f"a {status} body is not an object: {body!r}")
    if body.get("statusCode") != status:
        raise AssertionError(f"a {status} body says statusCode {body.get('statusCode')!r}")
    for key in ("error", "message"):
        if not isinstance(body.get(key), str) or not body[key]:
            raise AssertionError(f"a {status} body has no {key} text: {body!r}")
    if "code" in body and not isinstance(body["code"], str):
        raise AssertionError(f"a {status} body's code is not a string: {body!r}")
    problems = body.get("problems")
    if problems is not None:
        if not isinstance(problems, list) or not problems:
            raise AssertionError(f"a {status} body's problems is not a non-empty list: {body!r}")
        for problem in problems:
            if (
                not isinstance(problem, dict)
                # A field may be named "" (a property of that name), but it is always named.
                or not isinstance(problem.get("field"), str)
                or not isinstance(problem.get("reason"), str)
                or not problem["reason"]
            ):
                raise AssertionError(f"a {status} problem is not {{ field, reason }}: {problem!r}")
    if status == 400 and not problems:
        raise AssertionError(f"a 400 does not name the field it refuses (no problems): {body['message']!r}")
    return None
