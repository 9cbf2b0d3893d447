"""Tremplin's domain: models, rules, data access, clock and errors.

Layering: functions/<capability>/app.py (HTTP or event adapter) -> tremplin.logic
(rules) -> tremplin.data (the only place that touches boto3). Nothing here imports
from functions/.
"""
