from stacks.audit import audit_trail

audit_trail("audit")
