"""Shared codes at the bottom of the import graph: errors, the domain vocabulary, metrics.

Nothing here has models or imports another project package; every app may import it.
"""
