"""One assessment engine: every published index, class and compliance verdict.

Pure modules (typed values in, typed results out; ``hub.standards`` holds the tables and
the per-value formulas): ``validity`` (the one "valid for statistics" rule), ``air``
(HJ 633 hourly and daily AQI), ``noise`` (GB 3096 day and night), ``water`` (GB 3838 and
GB 3097 classes), ``drinking`` (sources, GB 5749 tap water), ``soil`` (GB 15618),
``county`` (county summaries). ``inputs`` holds the engine's only SQL (valid values of the
current revision). ``*_report`` modules read, assess and render the public API documents.
The API handlers, the open-data producers (``catalogue``) and the alarm rules all call it.
"""
