"""The reference network: loading it, reading it, departments registering sites."""
