"""Shared codes at the bottom of the import graph: errors and the domain vocabulary.

Nothing here has models or imports another project package; every app may import it.
"""
