"""The appraisal cycle: periods, SKP, ratings, peers, realisation and evidence, levels, appeals,
the close and its results.
"""
