"""The open-data directory as a service: reads, DCAT, and publishing to CKAN."""
