"""HTTP views of case records: pages for officers, form actions, exports and JSON endpoints."""
