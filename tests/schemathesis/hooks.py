"""Loaded by schemathesis in run.py's runs (SCHEMATHESIS_HOOKS)."""

import os
import re

import schemathesis

ADMIN_ID = os.environ["SV_ADMIN_ID"]
TARGET_USER = os.environ["SV_TARGET_USER"]


@schemathesis.hook
def before_call(context, case, kwargs):
    """A request that would change or delete the run's own administrator goes to the user made
    for the run instead: a new password or a demotion would end the session the whole run uses,
    and every answer after it would be a 401. Only ids the server reads as that user's are
    redirected (`1`, `+1`, `001`), so no other case changes meaning."""
    if case.operation.path == "/api/users/{id}" and case.path_parameters:
        if re.fullmatch(rf"\+?0*{ADMIN_ID}", str(case.path_parameters.get("id"))):
            case.path_parameters["id"] = TARGET_USER
