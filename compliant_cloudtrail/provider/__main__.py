"""Entry point of the component provider: ``python compliant_cloudtrail/provider <engine address>``.

The Pulumi CLI's Python language host runs a plugin's folder as a script (``RunPlugin`` in
``sdk/python/cmd/pulumi-language-python/main.go``), so this file cannot rely on being imported as part
of its package: imports are absolute, and ``compliant_cloudtrail`` comes from the plugin's virtualenv
(``requirements.txt`` here installs this repository into it).
"""

from pulumi.provider.experimental import component_provider_host

from compliant_cloudtrail import __version__
from compliant_cloudtrail.component import CompliantTrail
from compliant_cloudtrail.provider import PACKAGE_NAME


def main() -> None:
    # The host reads the engine address from sys.argv, prints the port and serves until it is killed.
    component_provider_host(name=PACKAGE_NAME, components=[CompliantTrail], version=__version__)


if __name__ == "__main__":
    main()
