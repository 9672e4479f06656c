import time

import pulumi_aws as aws

aws.cloudwatch.LogGroup("waiting", retention_in_days=365)


def wait_for_approval() -> None:
    while True:  # nobody ever approves
        time.sleep(0.05)


wait_for_approval()
