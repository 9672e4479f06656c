"""The CrossGuard policy pack, self-contained: this folder is what ``pulumi policy publish`` uploads.

It needs only ``pulumi-policy`` (see ``requirements.txt``). ``compliant_cloudtrail.policy_pack.PACK_DIR``
is the folder to pass to ``pulumi preview --policy-pack``.
"""

from pathlib import Path

PACK_DIR = Path(__file__).resolve().parent
