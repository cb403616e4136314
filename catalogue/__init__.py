"""The open-data directory and its publication to CKAN."""
