"""``aws:iam/getPolicyDocument``, rendered offline as the provider renders it (data_source_policy_document.go)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["render_policy_document"]


def _one_or_list(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def render_policy_document(args: dict[str, Any]) -> dict[str, Any]:
    """Render ``getPolicyDocument`` like the provider: single values as strings, conditions by test."""
    statements: list[dict[str, Any]] = []
    for source in args.get("sourcePolicyDocuments") or []:
        statements.extend(json.loads(source).get("Statement", []))
    for st in args.get("statements") or []:
        out: dict[str, Any] = {}
        if st.get("sid"):
            out["Sid"] = st["sid"]
        out["Effect"] = st.get("effect") or "Allow"
        for key, json_key in (("actions", "Action"), ("notActions", "NotAction")):
            if st.get(key):
                out[json_key] = _one_or_list(sorted(st[key]) if len(st[key]) > 1 else st[key])
        for key, json_key in (("resources", "Resource"), ("notResources", "NotResource")):
            if st.get(key):
                out[json_key] = _one_or_list(st[key])
        for key, json_key in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
            if st.get(key):
                principals: dict[str, Any] = {}
                for p in st[key]:
                    ids = list(p.get("identifiers") or [])
                    if p.get("type") == "*" and ids == ["*"]:
                        principals = "*"  # type: ignore[assignment]
                        break
                    principals.setdefault(p["type"], []).extend(ids)
                if isinstance(principals, dict):
                    principals = {k: _one_or_list(v) for k, v in principals.items()}
                out[json_key] = principals
        if st.get("conditions"):
            cond: dict[str, dict[str, Any]] = {}
            for c in st["conditions"]:
                cond.setdefault(c["test"], {})[c["variable"]] = _one_or_list(list(c["values"]))
            out["Condition"] = cond
        sid = out.get("Sid")
        if sid:
            statements = [s for s in statements if s.get("Sid") != sid]
        statements.append(out)
    for override in args.get("overridePolicyDocuments") or []:
        for st in json.loads(override).get("Statement", []):
            statements = [s for s in statements if not st.get("Sid") or s.get("Sid") != st.get("Sid")]
            statements.append(st)
    doc: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        doc["Id"] = args["policyId"]
    doc["Statement"] = statements
    rendered = json.dumps(doc, indent=2)
    return {
        **args,
        "id": str(int(hashlib.sha256(rendered.encode()).hexdigest()[:8], 16)),
        "json": rendered,
        "minifiedJson": json.dumps(doc, separators=(",", ":")),
    }

