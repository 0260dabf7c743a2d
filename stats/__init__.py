"""Supervisor statistics: live queue and staffing figures, historical metrics, exports.

The package is ``stats`` (its Django app label stays ``statistics``) so that it never
shadows the standard library's ``statistics`` module on ``sys.path``.
"""
