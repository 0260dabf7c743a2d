"""Supervisor statistics: live queue and staffing figures, historical metrics, exports."""
