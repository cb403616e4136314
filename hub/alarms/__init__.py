"""Alarms and early warning (issue 4): rules, the evaluation engine, webhook delivery.

- ``rules`` / ``targets`` / ``falsify``: pure rules, one row per check, over current values.
- ``lifecycle``: open → extend → close of the one open alarm per (site, parameter, kind).
- ``engine`` / ``sweep``: read the observation feed (and periodic checks) into alarms.
- ``store``: alarms, events numbered in commit order, and the delivery outbox, in one
  transaction.
- ``worker``: the single-writer loop (web-app thread or ``ecohub alarms run``).
- ``delivery`` / ``signing``: signed webhooks with retries and backoff.
- ``service`` / ``subscriptions`` / ``feed`` / ``limits``: what the API and the CLI call.
"""
