"""CompliantTrail hosted as a Pulumi component provider, for programs in any Pulumi language.

The Pulumi CLI starts this folder as a source-based plugin (``PulumiPlugin.yaml`` beside
``__main__.py``): ``python <this folder> <engine address>``, reads the gRPC port from stdout, asks for
the schema (inferred from ``CompliantTrail``'s type hints and docstrings) and sends ``Construct``.
"""

PACKAGE_NAME = "compliant-cloudtrail"
"""The package name other languages see: ``pulumi package add`` names the SDK after it, and it is the
first part of the type token ``compliant-cloudtrail:index:CompliantTrail``."""
