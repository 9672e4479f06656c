"""Starting a program the way the Pulumi CLI's language hosts start it, against the offline engine."""
