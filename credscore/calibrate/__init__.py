"""Fit a rubric's numbers to expert labels and measure, by cross-validation, whether it helped.

The articles are scored once; every fit works on what that scoring recorded (criterion scores,
and each criterion's findings per signal and rule), so a fold costs arithmetic, not re-scoring.

- ``data``: the recorded scores and the labels, checked and laid out as arrays;
- ``fit``: criterion weights fitted to a rating, signal and rule points fitted to a label;
- ``crossval``: folds, before and after on held-out articles, and what the spread allows one
  to claim;
- ``write``: the fitted numbers written back into the rubric, or into a small overlay.

numpy, scipy and ruamel.yaml are needed (``pip install 'credscore[calibrate]'``).
"""
